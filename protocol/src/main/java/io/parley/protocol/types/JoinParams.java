package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * Params of {@code room.join}; {@code since} (nullable) asks for the messages after that seq and
 * {@code sinceRev} (nullable, contract 1.1) for the changes after that rev.
 */
public record JoinParams(String room, Long since, Long sinceRev) {

  /** A join without change recovery (contract 1.0). */
  public JoinParams(String room, Long since) {
    this(room, since, null);
  }

  public static JoinParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new JoinParams(r.string("room"), r.optInteger("since"), r.optInteger("sinceRev"));
  }
}
