package io.parley.sql;

import java.util.List;

/**
 * One page of recovery after a reconnect: what a client missed since the last seq it saw.
 *
 * @param messages messages with seq above the requested one, ascending, without gaps
 * @param lastSeq the room's last seq when the page was read (0 if the room has no message); the
 *     page never holds a message beyond it
 * @param truncated true if messages up to {@code lastSeq} exist beyond this page
 */
public record Recovery(List<StoredMessage> messages, long lastSeq, boolean truncated) {

  public Recovery {
    messages = List.copyOf(messages);
  }
}
