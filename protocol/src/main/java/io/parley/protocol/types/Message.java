package io.parley.protocol.types;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import io.parley.protocol.internal.FieldReader;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored chat message as it travels: the result of {@code chat.send}, the params of the
 * {@code chat.message} notification and the items of history and recovery.
 *
 * <p>Contract 1.1: a message shows its current state wherever it appears. The three state
 * components are absent on the wire while they say nothing (never edited, not deleted, no
 * reactions), so a plain message's text is byte for byte as in 1.0.
 *
 * @param room the room it was sent to
 * @param seq its position in the room: from 1, gap-free, never reused
 * @param from the sender's user name
 * @param text the text, shown as text and never as markup; {@code ""} once deleted
 * @param ts RFC 3339 UTC with milliseconds, for example {@code 2026-11-22T10:15:30.123Z}, exactly
 *     as it travels; {@link #time()} gives it as an {@link Instant}
 * @param clientId the sender's idempotency key, or {@code null}
 * @param to (contract 1.1) the recipient of a direct message ({@code dm.send}), or {@code null}
 *     for a room message; absent on the wire when {@code null}, so a room message's text is as in 1.0
 * @param edited (1.1) when it was last edited (same form as {@code ts}), or {@code null}
 * @param deleted (1.1) {@code true} once deleted, otherwise {@code null} (absent)
 * @param reactions (1.1) emoji to the users who reacted with it, in the order they reacted, or
 *     {@code null} when it has none
 */
public record Message(String room, long seq, String from, String text, String ts, String clientId, String to,
    String edited, Boolean deleted, Map<String, List<String>> reactions) {

  public Message {
    if (deleted != null && !deleted) {
      deleted = null; // "not deleted" is said by leaving it out
    }
    reactions = reactions == null || reactions.isEmpty() ? null : copy(reactions);
  }

  /** A message as first stored (1.0 shape, or a direct message with {@code to}). */
  public Message(String room, long seq, String from, String text, String ts, String clientId, String to) {
    this(room, seq, from, text, ts, clientId, to, null, null, null);
  }

  /** A room message (no {@code to}). */
  public Message(String room, long seq, String from, String text, String ts, String clientId) {
    this(room, seq, from, text, ts, clientId, null);
  }

  /** The same message addressed to {@code recipient} (a direct message). */
  public Message withTo(String recipient) {
    return new Message(room, seq, from, text, ts, clientId, recipient, edited, deleted, reactions);
  }

  /** True once deleted (contract 1.1). */
  public boolean isDeleted() {
    return deleted != null && deleted;
  }

  public static Message from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new Message(
        r.string("room"),
        r.integer("seq"),
        r.string("from"),
        r.string("text"),
        r.string("ts"),
        r.optString("clientId"),
        r.optString("to"),
        r.optString("edited"),
        r.optBool("deleted"),
        reactions(r.optObject("reactions")));
  }

  private static Map<String, List<String>> reactions(JsonObject object) {
    if (object == null) {
      return null;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : object.entrySet()) {
      String field = "reactions." + e.getKey();
      if (!e.getValue().isJsonArray()) {
        throw new RpcException(RpcError.invalidParams(field,
            field + ": expected an array of user names"));
      }
      out.put(e.getKey(), e.getValue().getAsJsonArray().asList().stream()
          .map(u -> FieldReader.stringItem(field, u)).toList());
    }
    return out;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> reactions) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    reactions.forEach((emoji, users) -> out.put(emoji, List.copyOf(users)));
    return Collections.unmodifiableMap(out);
  }

  /**
   * When the server stored the message: {@link #ts()} as an {@link Instant}. Not a component, so
   * the wire text stays {@code ts} alone, byte for byte.
   *
   * @throws java.time.format.DateTimeParseException when {@code ts} is not an RFC 3339 UTC instant
   *     (a Parley server never sends one)
   */
  public Instant time() {
    return Instant.parse(ts);
  }
}
