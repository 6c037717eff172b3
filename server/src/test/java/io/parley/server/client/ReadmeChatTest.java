package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ParleyClient;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import io.parley.server.testing.TestServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code Chat.java} of the root README, copied out of the README as a reader would and run
 * with {@code java Chat.java} against a real server: blank lines (a user pressing Enter) must not
 * end it, and the other lines arrive.
 */
@Timeout(120)
class ReadmeChatTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theReadmesChatSurvivesEmptyLinesAndSendsTheRest(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("import io.parley.client.*;");
    assertThat(start).as("the README's Chat.java").isPositive();
    String source = readme.substring(start, readme.indexOf("```", start))
        .replace("ws://localhost:8080/ws", server.wsUri().toString());
    Path chat = dir.resolve("Chat.java");
    Files.writeString(chat, source, StandardCharsets.UTF_8);

    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), chat.toString())
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile())
        .start();
    try (OutputStream in = java.getOutputStream()) {
      in.write("\n  \nhello from the readme\n\n".getBytes(StandardCharsets.UTF_8));
    }
    boolean ended = java.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      java.destroyForcibly();
    }
    String err = Files.readString(dir.resolve("err.txt"));
    assertThat(ended).as("Chat.java ends at end of input").isTrue();
    assertThat(java.exitValue()).as(err).isZero();
    assertThat(err).doesNotContain("Exception");

    try (ParleyClient reader = ParleyClient.builder().endpoint(server.wsUri()).name("reader").build()) {
      get(reader.connect());
      assertThat(get(reader.history(new HistoryParams("lobby", null, null, 10))))
          .extracting(Message::text).containsExactly("hello from the readme");
    }
  }
}
