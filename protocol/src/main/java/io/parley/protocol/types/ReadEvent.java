package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of the {@code room.read} notification (contract 1.1): a member's read position moved. */
public record ReadEvent(String room, String user, long seq) {

  public static ReadEvent from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new ReadEvent(r.string("room"), r.string("user"), r.integer("seq"));
  }
}
