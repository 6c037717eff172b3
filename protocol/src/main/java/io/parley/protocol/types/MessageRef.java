package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code chat.delete} (contract 1.1): one message of a room. */
public record MessageRef(String room, long seq) {

  public static MessageRef from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new MessageRef(r.string("room"), r.integer("seq"));
  }
}
