package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * Params of {@code room.read} (contract 1.1), and its result: there {@code seq} is the caller's
 * read position after the call, which only moves forward.
 */
public record ReadParams(String room, long seq) {

  public static ReadParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new ReadParams(r.string("room"), r.integer("seq"));
  }
}
