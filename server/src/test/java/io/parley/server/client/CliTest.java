package io.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.cli.Main;
import io.parley.client.ParleyClient;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import io.parley.server.auth.Tokens;
import io.parley.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command-line client against a real server, as a script would run it: piped input, exit codes. */
@Timeout(60)
class CliTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private record Run(int code, String out, String err) {}

  private static Run cli(String input, String... args) {
    return cliWithToken(input, null, args);
  }

  /** Runs with {@code envToken} as the value of PARLEY_TOKEN (null: unset), whatever the real environment has. */
  private static Run cliWithToken(String input, String envToken, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, envToken, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void pipedChatSendsEveryLineBeforeItQuits() {
    String url = server.wsUri().toString();
    Run chat = cli("first line\nsecond line\n/members\n/quit\n", url, "--name", "piper", "--room", "cli");
    assertThat(chat.code()).isZero();
    assertThat(chat.err()).isEmpty();
    assertThat(chat.out()).contains("* members: piper");
    Run history = cli("", url, "--history", "cli");
    assertThat(history.code()).isZero();
    assertThat(history.out()).contains("piper: first line").contains("piper: second line");
  }

  @Test
  void emptyAndBlankLinesAreSkippedNotSent() {
    String url = server.wsUri().toString();
    Run chat = cli("\n   \nafter the blanks\n\n/quit\n", url, "--name", "blanky", "--room", "blank");
    assertThat(chat.code()).isZero();
    assertThat(chat.err()).isEmpty();
    Run history = cli("", url, "--history", "blank");
    assertThat(history.out().lines().filter(l -> l.contains("blanky:")))
        .singleElement().asString().endsWith("blanky: after the blanks");
  }

  @Test
  void oneShotModesPrintTheirAnswer() {
    String url = server.wsUri().toString();
    assertThat(cli("", url, "--echo", "hello")).isEqualTo(new Run(0, "hello" + System.lineSeparator(), ""));
    Run sent = cli("", url, "--name", "ann", "--room", "once", "--send", "hi");
    assertThat(sent.code()).isZero();
    assertThat(sent.out()).contains("ann: hi");
  }

  @Test
  void theChatEditsDeletesTogglesReactionsAndSendsDirectMessages() {
    String url = server.wsUri().toString();
    try (ParleyClient carl = sdk("carl"); ParleyClient olive = sdk("olive")) {
      List<Message> atOlive = new CopyOnWriteArrayList<>();
      olive.onDirect(atOlive::add);
      get(carl.join("cli-chg"));
      for (String text : List.of("one", "two", "three")) {
        get(carl.send("cli-chg", text));
      }
      Run chat = cli("/edit 1 one, fixed\n/delete #2\n/react 3 👍\n/dm olive hello olive\n/edit 2 too late\n/quit\n",
          url, "--name", "carl", "--room", "cli-chg");
      assertThat(chat.code()).isZero();
      assertThat(chat.err().lines()).singleElement().asString().startsWith("parley-cli: not edited: server error -32002");
      List<Message> history = get(carl.history(new HistoryParams("cli-chg", null, null, 10)));
      assertThat(history.get(0).text()).isEqualTo("one, fixed");
      assertThat(history.get(0).edited()).isNotNull();
      assertThat(history.get(1).isDeleted()).isTrue();
      assertThat(history.get(2).reactions()).isEqualTo(Map.of("👍", List.of("carl")));

      Run again = cli("/react 3 👍\n/quit\n", url, "--name", "carl", "--room", "cli-chg");
      assertThat(again.err()).isEmpty();
      assertThat(get(carl.history(new HistoryParams("cli-chg", null, null, 10))).get(2).reactions())
          .as("the second /react took it back").isNull();

      Run oneShot = cli("", url, "--name", "carl", "--dm", "olive", "--send", "one shot");
      assertThat(oneShot.code()).as(oneShot.err()).isZero();
      assertThat(oneShot.out()).matches("\\[dm\\] #\\d+ \\[[0-9:]{8}\\] carl to olive: one shot\\R");
      Run piped = cli("from a pipe\n", url, "--name", "carl", "--dm", "olive");
      assertThat(piped.out()).contains("carl to olive: from a pipe");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (atOlive.size() < 3) {
        assertThat(System.nanoTime()).as("olive got 3 direct messages: %s", atOlive).isLessThan(deadline);
        get(olive.echo("[1]"));
      }
      assertThat(atOlive).extracting(Message::text).containsExactly("hello olive", "one shot", "from a pipe");
    }
  }

  @Test
  void whatOthersWroteIsPrintedAsTextNeverAsTerminalControl() {
    String url = server.wsUri().toString();
    try (ParleyClient mallory = sdk("mallory")) {
      get(mallory.join("cli-safe"));
      get(mallory.send("cli-safe", "hi\u001b]0;owned\u0007\u001b[2J\rgone\u202e"));
    }
    Run history = cli("", url, "--history", "cli-safe");
    assertThat(history.out()).doesNotContain("\u001b", "\u0007", "\r", "\u202e")
        .contains("mallory: hi\\u001b]0;owned\\u0007\\u001b[2J\\u000dgone\\u202e");
  }

  private static ParleyClient sdk(String name) {
    ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).name(name).build();
    get(client.connect());
    return client;
  }

  private static <T> T get(CompletableFuture<T> future) {
    return future.orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void aTokenFromTheFlagOrTheVariableOpensATokenModeServer() {
    try (TestServer guarded = TestServer.start(TestServer.Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET))) {
      String url = guarded.wsUri().toString();
      Run flag = cliWithToken("", null, url, "--token", Tokens.valid("tina"), "--room", "tok", "--send", "by flag");
      assertThat(flag.code()).as(flag.err()).isZero();
      assertThat(flag.out()).contains("tina: by flag");
      Run variable = cliWithToken("", Tokens.valid("vera"), url, "--room", "tok", "--send", "by variable");
      assertThat(variable.code()).as(variable.err()).isZero();
      assertThat(variable.out()).contains("vera: by variable");
      Run none = cliWithToken("", null, url, "--room", "tok", "--send", "no token");
      assertThat(none.code()).isEqualTo(1);
      assertThat(none.err().lines()).hasSize(1).allMatch(l -> l.startsWith("parley-cli: ") && l.contains("-32001"));
      Run expired = cliWithToken("", null, url, "--token", Tokens.expired("tina"), "--echo", "x");
      assertThat(expired.code()).isEqualTo(1);
      assertThat(expired.err()).doesNotContain(Tokens.expired("tina"));
    }
  }

  @Test
  void usageErrorsExit2AndUnreachableServersExit1WithOneLine() throws Exception {
    Run usage = cli("", server.wsUri().toString(), "--bogus");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).startsWith("parley-cli: ").doesNotContain("\tat ");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run refused = cli("", "ws://127.0.0.1:" + closedPort + "/ws", "--echo", "x", "--timeout", "3");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().lines()).hasSize(1).allMatch(l -> l.startsWith("parley-cli: "));
  }
}
