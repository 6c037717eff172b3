package io.parley.sql;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message as stored, in its current state.
 *
 * @param room the room it was sent to
 * @param seq its position in the room: 1 for the first message, then exactly one more for each
 * @param sender the user who sent it
 * @param text the text, verbatim (the last edit's; empty once deleted)
 * @param clientId the sender's idempotency key, or {@code null} if none was given
 * @param ts when it was stored, truncated to milliseconds
 * @param edited when it was last edited, or {@code null}
 * @param deleted whether it was deleted
 * @param reactions each emoji to the users who reacted with it, in the order they did (emoji in
 *     the order of their oldest reaction); empty for none
 */
public record StoredMessage(String room, long seq, String sender, String text, String clientId, Instant ts,
    Instant edited, boolean deleted, Map<String, List<String>> reactions) {

  public StoredMessage {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(ts, "ts");
    reactions = reactions == null || reactions.isEmpty() ? Map.of() : copy(reactions);
  }

  /** A message as first stored: never edited, not deleted, no reactions. */
  public StoredMessage(String room, long seq, String sender, String text, String clientId, Instant ts) {
    this(room, seq, sender, text, clientId, ts, null, false, Map.of());
  }

  /** The same message with {@code reactions}. */
  public StoredMessage withReactions(Map<String, List<String>> reactions) {
    return new StoredMessage(room, seq, sender, text, clientId, ts, edited, deleted, reactions);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> reactions) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    reactions.forEach((emoji, users) -> out.put(emoji, List.copyOf(users)));
    return Collections.unmodifiableMap(out);
  }
}
