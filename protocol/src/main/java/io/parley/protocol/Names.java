package io.parley.protocol;

import java.util.regex.Pattern;

/**
 * The contract's rules for room names, user names and client ids, checked on both sides so a
 * client can refuse a bad name before it travels. Each check returns the name or throws a
 * {@code -32602} naming the field.
 */
public final class Names {
  public static final int MAX_ROOM = 64;
  public static final int MAX_USER = 32;
  public static final int MAX_CLIENT_ID = 128;

  /**
   * Contract 1.1: rooms named with this prefix are direct conversations, named by the server
   * ({@code dm.} and 32 lowercase hex characters) and open to their two participants only.
   */
  public static final String DIRECT_ROOM_PREFIX = "dm.";

  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.\\-]{1," + MAX_ROOM + "}");

  private Names() {}

  public static String room(String field, String room) {
    if (room == null || !ROOM.matcher(room).matches()) {
      throw new RpcException(
          RpcError.invalidParams(
              field,
              field + ": expected 1-" + MAX_ROOM + " characters of A-Z a-z 0-9 _ . -, got " + quote(room)));
    }
    return room;
  }

  /** Whether {@code room} names a direct conversation (contract 1.1). */
  public static boolean isDirectRoom(String room) {
    return room.startsWith(DIRECT_ROOM_PREFIX);
  }

  /**
   * A user name: 1-{@value #MAX_USER} code points, no control characters, and none of the
   * invisible characters that let one name pass for another or rewrite the log line it appears
   * in ({@link #invisible}).
   */
  public static String user(String field, String name) {
    int length = name == null ? 0 : name.codePointCount(0, name.length());
    if (length < 1 || length > MAX_USER || name.codePoints().anyMatch(Character::isISOControl)
        || !isStorable(name)) {
      throw new RpcException(
          RpcError.invalidParams(
              field,
              field + ": expected 1-" + MAX_USER + " characters without control characters, got " + quote(name)));
    }
    int hidden = name.codePoints().filter(c -> invisible(c) != null).findFirst().orElse(-1);
    if (hidden >= 0) {
      throw new RpcException(
          RpcError.invalidParams(
              field,
              String.format("%s: expected no bidi controls, zero-width characters or line separators, got U+%04X (%s)",
                  field, hidden, invisible(hidden))));
    }
    return name;
  }

  /**
   * What kind of invisible character {@code c} is, or {@code null} for an ordinary one: bidi
   * controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) reorder the text around a
   * name, so "alice‮ecila" shows as another user; zero-width characters (U+200B-U+200D,
   * U+2060, U+FEFF) make two names look alike; line and paragraph separators (U+2028, U+2029)
   * break a log line in two.
   */
  static String invisible(int c) {
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
        || c == 0x061C) {
      return "a bidirectional control";
    }
    if ((c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF) {
      return "a zero-width character";
    }
    if (c == 0x2028 || c == 0x2029) {
      return "a line or paragraph separator";
    }
    return null;
  }

  /** A client id: 1-{@value #MAX_CLIENT_ID} characters, counted in code points like every length here. */
  public static String clientId(String field, String clientId) {
    if (clientId == null) {
      return null;
    }
    int length = clientId.codePointCount(0, clientId.length());
    if (length < 1 || length > MAX_CLIENT_ID || !isStorable(clientId)) {
      throw new RpcException(
          RpcError.invalidParams(
              field, field + ": expected 1-" + MAX_CLIENT_ID + " characters of valid Unicode without U+0000, got "
                  + length + " characters"));
    }
    return clientId;
  }

  /** Contract 1.1: the longest reaction emoji, in code points. */
  public static final int MAX_EMOJI = 32;

  /**
   * A reaction (contract 1.1 {@code chat.react}): 1-{@value #MAX_EMOJI} characters without spaces
   * or control characters. Any such text is accepted, not only emoji, so a client's custom
   * shortcodes (":party:") work too; what it must not be is empty, blank-containing or invisible.
   */
  public static String emoji(String field, String emoji) {
    int length = emoji.codePointCount(0, emoji.length());
    boolean clean = length >= 1 && length <= MAX_EMOJI && isStorable(emoji)
        && emoji.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
            || Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029);
    if (!clean) {
      throw new RpcException(RpcError.invalidParams(field, field + ": expected 1-" + MAX_EMOJI
          + " characters without spaces or control characters, got " + quote(emoji)));
    }
    return emoji;
  }

  /**
   * True when the string is valid Unicode text that every store keeps as sent: no unpaired
   * surrogate (JSON escapes can make one; PostgreSQL would turn it into '?') and no U+0000
   * (PostgreSQL refuses it).
   */
  public static boolean isStorable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String value) {
    if (value == null) {
      return "nothing";
    }
    String cut = io.parley.protocol.internal.Json.cut(value, 40);
    return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
