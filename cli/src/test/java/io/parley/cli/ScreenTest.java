package io.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** "Typing" as a status line: rewritten in place on a terminal, one plain line per start in a pipe. */
class ScreenTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void piped_aUserWhoStartsTypingGetsOneLineUntilTheirStatusLapses() {
    Screen screen = new Screen(out, false, clock);
    screen.typing("ann");
    screen.typing("ann");
    screen.line("#1 ann: hi");
    now = now.plus(Screen.TYPING_SHOWN);
    screen.typing("ann");
    String nl = System.lineSeparator();
    assertThat(printed()).isEqualTo("* ann is typing…" + nl + "#1 ann: hi" + nl + "* ann is typing…" + nl);
  }

  @Test
  void terminal_theStatusIsTheLastLineAndGoesWhenItLapses() {
    Screen screen = new Screen(out, true, clock);
    screen.typing("ann");
    assertThat(printed()).isEqualTo("\r\u001b[K* ann is typing…");
    bytes.reset();
    screen.line("#1 bob: hi");
    assertThat(printed()).isEqualTo("\r\u001b[K#1 bob: hi" + System.lineSeparator() + "\r\u001b[K* ann is typing…");
    bytes.reset();
    now = now.plus(Duration.ofSeconds(6));
    screen.tick();
    assertThat(printed()).isEqualTo("\r\u001b[K");
    bytes.reset();
    screen.typing("cy");
    screen.stoppedTyping("cy");
    assertThat(printed()).isEqualTo("\r\u001b[K* cy is typing…\r\u001b[K");
  }
}
