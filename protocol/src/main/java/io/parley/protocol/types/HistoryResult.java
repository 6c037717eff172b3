package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.util.List;

/**
 * Result of {@code chat.history} and of the HTTP history route: messages ascending by seq.
 *
 * @param messages the page, ascending by seq
 * @param truncated true when the page's byte cap ({@link HistoryParams#MAX_PAGE_BYTES}) cut it,
 *     so more messages within the asked bounds and {@code limit} exist: a page without {@code
 *     after} lost its oldest end (page on with {@code before} = its first seq), a page with
 *     {@code after} its newest end (page on with {@code after} = its last seq). Always written;
 *     read as false when absent (a server before 1.1).
 */
public record HistoryResult(List<Message> messages, boolean truncated) {

  /** A page that the byte cap did not cut. */
  public HistoryResult(List<Message> messages) {
    this(messages, false);
  }

  public static HistoryResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    Boolean truncated = r.optBool("truncated");
    return new HistoryResult(r.list("messages", Message::from), truncated != null && truncated);
  }
}
