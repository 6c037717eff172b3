package io.parley.cli;

import io.parley.client.PresenceChange;
import io.parley.protocol.types.Message;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How the CLI prints things: one line each, times in the local zone, never markup. */
final class Lines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final ZoneId zone;

  Lines(ZoneId zone) {
    this.zone = zone;
  }

  /** {@code [10:15:30] alice: hi}. */
  String message(Message m) {
    return "[" + time(m.ts()) + "] " + m.from() + ": " + m.text();
  }

  /** {@code #42 [10:15:30] alice: hi}, for history listings. */
  String numbered(Message m) {
    return "#" + m.seq() + " " + message(m);
  }

  String presence(PresenceChange change) {
    return "* " + change.user() + (change.joined() ? " joined " : " left ") + change.room();
  }

  private String time(String ts) {
    try {
      return TIME.format(Instant.parse(ts).atZone(zone));
    } catch (DateTimeParseException e) {
      return ts;
    }
  }
}
