package io.parley.sql;

import java.util.List;

/**
 * One page of a room's history.
 *
 * @param messages ascending by seq, without gaps
 * @param truncated true if the byte budget cut the page: more messages within the requested
 *     bounds and {@code limit} exist than it holds. Which end was cut depends on the direction
 *     of the page (see {@link MessageStore#history(String, Long, Long, int, long)}).
 */
public record HistoryPage(List<StoredMessage> messages, boolean truncated) {

  public HistoryPage {
    messages = List.copyOf(messages);
  }
}
