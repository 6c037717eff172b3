package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * Params of {@code chat.history}: {@code before} gives the newest {@code limit} below it,
 * {@code after} the oldest above it, neither the newest. Nullable members are absent on the wire.
 */
public record HistoryParams(String room, Long before, Long after, Integer limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  /**
   * About how much JSON one page may hold (1 MiB, as the contract says): past it the page is cut
   * and its result says {@code "truncated": true}. Keeps one reply bounded whatever the room's
   * message sizes (500 messages of 4,096 characters would otherwise be up to 8 MB).
   */
  public static final long MAX_PAGE_BYTES = 1024 * 1024;

  public static HistoryParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    Long limit = r.optInteger("limit");
    Integer small = limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit));
    return new HistoryParams(r.string("room"), r.optInteger("before"), r.optInteger("after"), small);
  }
}
