package io.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CliArgsTest {
  @Test
  void parsesTheChatAndOneShotModes() throws UsageException {
    CliArgs chat = CliArgs.parse(List.of("ws://localhost:8080/ws", "--name", "alice", "--room", "lobby"));
    assertThat(chat.mode()).isEqualTo(CliArgs.Mode.CHAT);
    assertThat(chat.name()).isEqualTo("alice");
    assertThat(chat.room()).isEqualTo("lobby");
    CliArgs history = CliArgs.parse(List.of("--history", "lobby", "ws://h/ws", "--limit", "5", "--timeout", "3"));
    assertThat(history.mode()).isEqualTo(CliArgs.Mode.HISTORY);
    assertThat(history.argument()).isEqualTo("lobby");
    assertThat(history.limit()).isEqualTo(5);
    assertThat(history.timeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void dmGoesAloneOrWithSend() throws UsageException {
    CliArgs piped = CliArgs.parse(List.of("ws://h/ws", "--dm", "bob"));
    assertThat(piped.mode()).isEqualTo(CliArgs.Mode.DIRECT);
    assertThat(piped.to()).isEqualTo("bob");
    assertThat(piped.argument()).isNull();
    CliArgs given = CliArgs.parse(List.of("ws://h/ws", "--send", "hi", "--dm", "bob"));
    assertThat(given.mode()).isEqualTo(CliArgs.Mode.DIRECT);
    assertThat(given.argument()).isEqualTo("hi");
    assertThatThrownBy(() -> CliArgs.parse(List.of("ws://h/ws", "--dm", "bob", "--echo", "x")))
        .hasMessageContaining("--dm goes alone");
  }

  @Test
  void theTokenComesFromTheFlagOrElseTheVariable() throws UsageException {
    assertThat(CliArgs.parse(List.of("ws://h/ws")).token()).isNull();
    assertThat(CliArgs.parse(List.of("ws://h/ws"), " from.env.var ").token()).isEqualTo("from.env.var");
    assertThat(CliArgs.parse(List.of("ws://h/ws"), "  ").token()).isNull();
    assertThat(CliArgs.parse(List.of("ws://h/ws", "--token", "from.the.flag"), "from.env.var").token())
        .isEqualTo("from.the.flag");
    assertThatThrownBy(() -> CliArgs.parse(List.of("ws://h/ws", "--token", " "), null)).hasMessageContaining("--token");
    assertThatThrownBy(() -> CliArgs.parse(List.of("ws://h/ws", "--token"), null)).hasMessageContaining("needs a value");
  }

  @Test
  void usageErrorsSayWhatIsWrong() {
    assertThatThrownBy(() -> CliArgs.parse(List.of())).hasMessageContaining("missing the server's address");
    assertThatThrownBy(() -> CliArgs.parse(List.of("http://h/ws"))).hasMessageContaining("ws://");
    assertThatThrownBy(() -> CliArgs.parse(List.of("ws://h/ws", "--name"))).hasMessageContaining("--name needs a value");
    assertThatThrownBy(() -> CliArgs.parse(List.of("ws://h/ws", "--echo", "a", "--send", "b")))
        .hasMessageContaining("choose one");
    assertThatThrownBy(() -> CliArgs.parse(List.of("ws://h/ws", "--limit", "x"))).hasMessageContaining("--limit");
  }

  @Test
  void exitCodesAndOneLineOnStderr() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[0]);
    assertThat(Main.run(new String[] {"--bogus"}, in, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("parley-cli: unknown argument: --bogus");
    assertThat(Main.run(new String[] {"--help"}, in, o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage:");
    err.reset();
    assertThat(Main.run(new String[] {"ws://127.0.0.1:1/ws", "--echo", "x", "--timeout", "2"}, in, o, e)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1).first().asString()
        .startsWith("parley-cli: could not connect to ws://127.0.0.1:1/ws");
  }
}
