package io.parley.cli;

import io.parley.client.PresenceChange;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * How the CLI prints things: one line each, times in the local zone, never markup. Whatever other
 * people wrote (texts, names, emoji, room names) goes through {@link #safe}: a hostile message
 * must not move the cursor, clear the screen, set the window title or reorder the line, so control
 * characters and bidirectional overrides are shown as {@code \\uXXXX} instead of being written.
 */
final class Lines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final ZoneId zone;

  Lines(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * {@code text} with every character a terminal would act on escaped: C0 and C1 controls (ESC
   * starts every escape sequence; CR and BS overwrite; LF would break the one-line format), DEL,
   * the bidirectional embeddings, overrides and isolates, and the line and paragraph separators.
   */
  static String safe(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (isUnsafe(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static boolean isUnsafe(int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e || c == 0x200f || c == 0x061c || c == 0x2028 || c == 0x2029;
  }

  /** {@code [10:15:30] alice: hi}. */
  String message(Message m) {
    String text = m.isDeleted() ? "(deleted)" : safe(m.text());
    return "[" + time(m.ts()) + "] " + safe(m.from()) + ": " + text + (m.edited() != null && !m.isDeleted()
        ? " (edited)" : "") + reactions(m.reactions());
  }

  /** {@code #42 [10:15:30] alice: hi}, for chats and history listings: the seq is what /edit takes. */
  String numbered(Message m) {
    return "#" + m.seq() + " " + message(m);
  }

  /** A direct message: {@code [dm] #3 [10:15:30] alice to bob: hi}. */
  String direct(Message m) {
    return "[dm] #" + m.seq() + " [" + time(m.ts()) + "] " + safe(m.from()) + " to " + safe(m.to()) + ": "
        + (m.isDeleted() ? "(deleted)" : safe(m.text()));
  }

  /**
   * A change, with the message's state afterwards when known ({@code null} otherwise):
   * {@code * #42 edited by alice: new text}, {@code * #42 deleted by alice}, {@code * bob reacted
   * 👍 to #42 (👍 2)}, {@code * bob took back 👍 from #42}.
   */
  String change(Change c, Message after, boolean direct) {
    String prefix = direct ? "[dm] * " : "* ";
    String user = safe(c.user());
    return switch (c.kind()) {
      case Change.EDIT -> prefix + "#" + c.seq() + " edited by " + user + ": " + safe(c.text());
      case Change.DELETE -> prefix + "#" + c.seq() + " deleted by " + user;
      case Change.REACT -> prefix + user + (Boolean.TRUE.equals(c.on()) ? " reacted " + safe(c.emoji()) + " to #"
          : " took back " + safe(c.emoji()) + " from #") + c.seq() + (after == null ? "" : reactions(after.reactions()));
      default -> prefix + "#" + c.seq() + " changed by " + user + " (" + safe(c.kind()) + ")";
    };
  }

  String presence(PresenceChange change) {
    return "* " + safe(change.user()) + (change.joined() ? " joined " : " left ") + safe(change.room());
  }

  /** {@code * alice is typing…}, {@code * alice, bob are typing…}. */
  static String typing(List<String> users) {
    List<String> names = users.stream().map(Lines::safe).toList();
    return "* " + String.join(", ", names) + (names.size() == 1 ? " is" : " are") + " typing…";
  }

  private static String reactions(Map<String, List<String>> reactions) {
    if (reactions == null || reactions.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" (");
    reactions.forEach((emoji, users) -> out.append(out.length() > 2 ? ", " : "").append(safe(emoji)).append(' ')
        .append(users.size()));
    return out.append(')').toString();
  }

  private String time(String ts) {
    try {
      return TIME.format(Instant.parse(ts).atZone(zone));
    } catch (DateTimeParseException e) {
      return safe(ts);
    }
  }
}
