package io.parley.server.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jar as an operator runs it: --help, bad configuration, and a SIGTERM that drains. */
@Timeout(120)
class ServerProcessIT {

  @TempDir Path dataDir;

  @Test
  void helpListsEverySetting() throws Exception {
    try (ServerProcess p = ServerProcess.start(Map.of(), "--help")) {
      assertThat(p.awaitExit()).isZero();
      String help = String.join("\n", p.output());
      for (String name : List.of("PARLEY_HOST", "PARLEY_PORT", "PARLEY_DB_URL", "PARLEY_DB_USER",
          "PARLEY_DB_PASSWORD", "PARLEY_DATA_DIR", "PARLEY_MAX_TEXT", "PARLEY_MAX_FRAME", "--port", "--db-url")) {
        assertThat(help).contains(name);
      }
    }
  }

  @Test
  void badConfigurationStopsWithOneClearLine() throws Exception {
    try (ServerProcess p = ServerProcess.start(Map.of("PARLEY_PORT", "eighty"))) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.output()).containsExactly(
          "parley: PARLEY_PORT: expected an integer from 0 to 65535, got \"eighty\"");
    }
    try (ServerProcess p = ServerProcess.start(Map.of(), "--bogus", "1")) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.output()).hasSize(1).allMatch(line -> line.contains("unknown option --bogus"));
    }
  }

  @Test
  void unreachableDatabaseStopsWithOneLineAndNoStackTrace() throws Exception {
    Map<String, String> env = Map.of("PARLEY_DB_URL", "jdbc:postgresql://127.0.0.1:1/none", "PARLEY_PORT", "0");
    try (ServerProcess p = ServerProcess.start(env)) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.output()).anyMatch(line -> line.startsWith("parley: cannot open the store:"));
      assertThat(p.output()).noneMatch(line -> line.startsWith("\tat "));
    }
  }

  @Test
  void sigtermAnswersQueuedSendsClosesWith1001AndKeepsEveryAcknowledgedMessage() throws Exception {
    Map<String, String> env = Map.of("PARLEY_PORT", "0", "PARLEY_DATA_DIR", dataDir.toString());
    List<Long> acknowledged = new ArrayList<>();
    try (ServerProcess p = ServerProcess.start(env)) {
      URI uri = URI.create("ws://127.0.0.1:" + p.awaitPort() + "/ws");
      try (WsClient client = WsClient.connect(uri)) {
        client.result("room.join", "{\"room\":\"drain\"}");
        int sends = 100;
        for (int i = 1; i <= sends; i++) {
          client.send("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"chat.send\",\"params\":{\"room\":\"drain\",\"text\":\"m" + i + "\"}}");
        }
        JsonObject first = reply(client, 1);
        acknowledged.add(first.getAsJsonObject("result").get("seq").getAsLong());
        p.terminate();
        for (int i = 2; i <= sends; i++) {
          JsonObject reply = reply(client, i);
          if (reply.has("result")) {
            acknowledged.add(reply.getAsJsonObject("result").get("seq").getAsLong());
          } else {
            assertThat(reply.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32005);
          }
        }
        assertThat(client.awaitClose()).isEqualTo(1001);
        assertThat(p.awaitExit()).isEqualTo(143);
        assertThat(p.output()).anyMatch(line -> line.contains("stopped"));
      }
    }
    try (ServerProcess again = ServerProcess.start(env)) {
      int port = again.awaitPort();
      HttpResponse<String> history = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/rooms/drain/messages?limit=500")).build(),
          HttpResponse.BodyHandlers.ofString());
      List<Long> stored = new ArrayList<>();
      JsonParser.parseString(history.body()).getAsJsonObject().getAsJsonArray("messages")
          .forEach(m -> stored.add(m.getAsJsonObject().get("seq").getAsLong()));
      assertThat(stored).containsAll(acknowledged).doesNotHaveDuplicates();
      again.terminate();
      assertThat(again.awaitExit()).isEqualTo(143);
    }
  }

  private static JsonObject reply(WsClient client, long id) {
    return client.await(o -> o.has("id") && o.get("id").getAsLong() == id);
  }
}
