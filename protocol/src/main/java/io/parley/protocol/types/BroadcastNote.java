package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.time.Instant;

/**
 * Params of the {@code broadcast} notification.
 *
 * @param from the sender's user name
 * @param text the text
 * @param ts when the server sent it, RFC 3339 UTC with milliseconds as it travels; {@link #time()}
 *     gives it as an {@link Instant}
 */
public record BroadcastNote(String from, String text, String ts) {

  public static BroadcastNote from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new BroadcastNote(r.string("from"), r.string("text"), r.string("ts"));
  }

  /**
   * {@link #ts()} as an {@link Instant}; not a component, so the wire text is unchanged.
   *
   * @throws java.time.format.DateTimeParseException when {@code ts} is not an RFC 3339 UTC instant
   */
  public Instant time() {
    return Instant.parse(ts);
  }
}
