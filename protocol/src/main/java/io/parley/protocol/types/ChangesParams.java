package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code chat.changes} (contract 1.1): the room's changes with {@code rev > after}. */
public record ChangesParams(String room, long after, Integer limit) {

  public static ChangesParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new ChangesParams(r.string("room"), r.integer("after"), limitOf(r));
  }

  private static Integer limitOf(FieldReader r) {
    Long limit = r.optInteger("limit");
    return limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit));
  }
}
