package io.parley.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat's output: whole lines, plus "who is typing" as a status line. On a terminal the status
 * is the last line, rewritten in place ({@code \r} and erase-line) and gone once nobody has typed
 * for {@link #TYPING_SHOWN} (contract 1.1: clients show it for about 5 s); a line printed meanwhile
 * goes above it. Piped (a script, a test) there is no cursor to move: a user who starts typing
 * gets one plain line, and nothing more until their status has lapsed. Thread-safe: every method
 * holds the screen's lock, so lines from the event thread and the input thread never interleave.
 */
final class Screen {
  static final Duration TYPING_SHOWN = Duration.ofSeconds(5);
  private static final String ERASE_LINE = "\r\u001b[K";

  private final PrintStream out;
  private final boolean terminal;
  private final Clock clock;
  private final Map<String, Instant> typingUntil = new LinkedHashMap<>();
  private boolean statusShown;

  Screen(PrintStream out, boolean terminal, Clock clock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
  }

  /** Prints one line (already made safe by {@link Lines}). */
  synchronized void line(String line) {
    expire();
    if (statusShown) {
      out.print(ERASE_LINE);
      statusShown = false;
    }
    out.println(line);
    showStatus();
  }

  /** {@code user} is typing: shown for {@link #TYPING_SHOWN} unless they type again. */
  synchronized void typing(String user) {
    expire();
    boolean started = !typingUntil.containsKey(user);
    typingUntil.put(user, clock.instant().plus(TYPING_SHOWN));
    if (terminal) {
      showStatus();
    } else if (started) {
      out.println(Lines.typing(List.of(user)));
    }
  }

  /** {@code user}'s message came: they are no longer typing it. */
  synchronized void stoppedTyping(String user) {
    if (typingUntil.remove(user) != null && terminal) {
      showStatus();
    }
  }

  /** Called now and then: a lapsed status goes away even when nothing else is printed. */
  synchronized void tick() {
    int before = typingUntil.size();
    expire();
    if (terminal && typingUntil.size() != before) {
      showStatus();
    }
  }

  private void expire() {
    Instant now = clock.instant();
    typingUntil.values().removeIf(until -> !until.isAfter(now));
  }

  private void showStatus() {
    if (!terminal) {
      return;
    }
    if (typingUntil.isEmpty()) {
      if (statusShown) {
        out.print(ERASE_LINE);
        out.flush();
        statusShown = false;
      }
      return;
    }
    out.print(ERASE_LINE + Lines.typing(new ArrayList<>(typingUntil.keySet())));
    out.flush();
    statusShown = true;
  }
}
