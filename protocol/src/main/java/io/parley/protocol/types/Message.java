package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.time.Instant;

/**
 * A stored chat message as it travels: the result of {@code chat.send}, the params of the
 * {@code chat.message} notification and the items of history and recovery.
 *
 * @param room the room it was sent to
 * @param seq its position in the room: from 1, gap-free, never reused
 * @param from the sender's user name
 * @param text the text, shown as text and never as markup
 * @param ts RFC 3339 UTC with milliseconds, for example {@code 2026-11-22T10:15:30.123Z}, exactly
 *     as it travels; {@link #time()} gives it as an {@link Instant}
 * @param clientId the sender's idempotency key, or {@code null}
 * @param to (contract 1.1) the recipient of a direct message ({@code dm.send}), or {@code null}
 *     for a room message; absent on the wire when {@code null}, so a room message's text is as in 1.0
 */
public record Message(String room, long seq, String from, String text, String ts, String clientId, String to) {

  /** A room message (no {@code to}). */
  public Message(String room, long seq, String from, String text, String ts, String clientId) {
    this(room, seq, from, text, ts, clientId, null);
  }

  /** The same message addressed to {@code recipient} (a direct message). */
  public Message withTo(String recipient) {
    return new Message(room, seq, from, text, ts, clientId, recipient);
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
        r.optString("to"));
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
