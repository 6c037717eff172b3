package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code room.join}; {@code since} (nullable) asks for the messages after that seq. */
public record JoinParams(String room, Long since) {

  public static JoinParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new JoinParams(r.string("room"), r.optInteger("since"));
  }
}
