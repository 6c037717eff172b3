package io.parley.sql;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as stored.
 *
 * @param room the room it was sent to
 * @param seq its position in the room: 1 for the first message, then exactly one more for each
 * @param sender the user who sent it
 * @param text the text, verbatim
 * @param clientId the sender's idempotency key, or {@code null} if none was given
 * @param ts when it was stored, truncated to milliseconds
 */
public record StoredMessage(
    String room, long seq, String sender, String text, String clientId, Instant ts) {

  public StoredMessage {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(ts, "ts");
  }
}
