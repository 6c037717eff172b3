package io.parley.sql;

import java.util.Objects;

/**
 * One message to append. Checked on construction against what the schema can hold, so that a
 * message the database would refuse fails with {@link IllegalArgumentException} at once instead
 * of failing a whole batch with a {@link StoreException} later. Checking the protocol's own,
 * tighter limits (room characters, text length) is the caller's job.
 *
 * <p>Lengths are counted in UTF-16 units ({@link String#length()}): H2 counts a {@code
 * VARCHAR(n)} that way and PostgreSQL in code points, so this is what both can hold. A character
 * outside the Basic Multilingual Plane (an emoji) counts two.
 *
 * @param room 1 to {@value #MAX_ROOM_LENGTH} characters
 * @param sender 1 to {@value #MAX_SENDER_LENGTH} characters
 * @param text any text without the character U+0000, which PostgreSQL cannot store
 * @param clientId the sender's idempotency key, {@code null} or 1 to
 *     {@value #MAX_CLIENT_ID_LENGTH} characters
 */
public record NewMessage(String room, String sender, String text, String clientId) {

  /** Longest room name the schema holds. */
  public static final int MAX_ROOM_LENGTH = 64;

  /** Longest sender name the schema holds. */
  public static final int MAX_SENDER_LENGTH = 255;

  /**
   * Longest client id the schema holds (migration V2): room for the protocol's 128 code points
   * even when every one of them takes two UTF-16 units.
   */
  public static final int MAX_CLIENT_ID_LENGTH = 512;

  public NewMessage {
    checkLength("room", room, MAX_ROOM_LENGTH);
    checkLength("sender", sender, MAX_SENDER_LENGTH);
    Objects.requireNonNull(text, "text");
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("text must not contain U+0000 (NUL)");
    }
    if (clientId != null) {
      checkLength("clientId", clientId, MAX_CLIENT_ID_LENGTH);
    }
  }

  /** Counts UTF-16 units, the stricter of the two databases' counts (H2's). */
  private static void checkLength(String field, String value, int max) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException(
          field + " must have 1 to " + max + " UTF-16 units, got " + value.length());
    }
  }
}
