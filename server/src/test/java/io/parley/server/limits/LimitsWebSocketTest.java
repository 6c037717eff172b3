package io.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue #5's limits over a real WebSocket, each on its own server with small limits. */
@Timeout(90)
class LimitsWebSocketTest {

  private static TestServer start(int rate, int burst, int sessionsPerAddress, int roomsPerSession, int ping) {
    UnaryOperator<io.parley.server.config.ServerConfig> tweak =
        c -> c.withSessionLimits(rate, burst, sessionsPerAddress, roomsPerSession, ping);
    return TestServer.start(TestServer.Store.EMBEDDED, tweak);
  }

  private static String metrics(TestServer server) {
    HttpResponse<String> response = server.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void theCallAfterTheBurstIsRateLimitedAndCounted() {
    try (TestServer server = start(1, 5, 1000, 100, 0); WsClient client = server.connect()) {
      for (int i = 0; i < 5; i++) {
        client.result("echo", "{\"n\":" + i + "}");
      }
      JsonObject refused = client.call("echo", "{\"n\":5}");
      JsonObject error = refused.getAsJsonObject("error");
      assertThat(error.get("code").getAsInt()).isEqualTo(-32003);
      assertThat(error.getAsJsonObject("data").get("retryAfterMs").getAsLong()).isPositive();
      assertThat(metrics(server)).containsPattern("parley_limits_tripped_total\\{[^}]*limit=\"rate\"[^}]*\\} 1\\.0");
    }
  }

  @Test
  void httpCallsPerAddressAreRateLimitedInTheBody() {
    try (TestServer server = start(1, 2, 1000, 100, 0)) {
      String body = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{}},"
          + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":{}}]";
      assertThat(server.post("/rpc", body).body()).doesNotContain("error");
      HttpResponse<String> refused = server.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\"}");
      assertThat(refused.statusCode()).isEqualTo(200);
      JsonObject error = JsonParser.parseString(refused.body()).getAsJsonObject().getAsJsonObject("error");
      assertThat(error.get("code").getAsInt()).isEqualTo(-32003);
      assertThat(error.getAsJsonObject("data").get("retryAfterMs").getAsLong()).isPositive();
    }
  }

  @Test
  void eachCallInABatchTakesOneToken() {
    try (TestServer server = start(1, 5, 1000, 100, 0); WsClient client = server.connect()) {
      JsonArray batch = new JsonArray();
      for (int i = 1; i <= 7; i++) {
        batch.add(JsonParser.parseString("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"echo\",\"params\":{}}"));
      }
      client.send(batch.toString());
      JsonArray replies = JsonParser.parseString(client.nextRaw()).getAsJsonArray();
      assertThat(replies).hasSize(7);
      int ok = 0;
      int limited = 0;
      for (JsonElement reply : replies) {
        JsonObject o = reply.getAsJsonObject();
        if (o.has("result")) {
          ok++;
        } else {
          assertThat(o.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32003);
          limited++;
        }
      }
      assertThat(ok).isEqualTo(5);
      assertThat(limited).isEqualTo(2);
    }
  }

  @Test
  void anUpgradePastTheSessionsPerAddressIsRefusedWith429() throws IOException {
    try (TestServer server = start(200, 400, 2, 100, 0); WsClient first = server.connect()) {
      WsClient second = server.connect();
      try (RawWebSocket third = RawWebSocket.open(server.port(), "")) {
        assertThat(third.status()).startsWith("HTTP/1.1 429");
      }
      assertThat(metrics(server)).contains("limit=\"sessions_per_address\"");
      second.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String status;
      while (true) {
        try (RawWebSocket again = RawWebSocket.open(server.port(), "")) {
          status = again.status();
        }
        if (status.startsWith("HTTP/1.1 101") || System.nanoTime() > deadline) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertThat(status).as("a closed session frees its place").startsWith("HTTP/1.1 101");
      first.result("echo", "{}");
    }
  }

  @Test
  void aJoinPastTheRoomsPerSessionIsForbidden() {
    try (TestServer server = start(200, 400, 1000, 2, 0); WsClient client = server.connect()) {
      client.result("room.join", "{\"room\":\"one\"}");
      client.result("room.join", "{\"room\":\"two\"}");
      JsonObject refused = client.call("room.join", "{\"room\":\"three\"}");
      assertThat(refused.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
      assertThat(refused.getAsJsonObject("error").get("message").getAsString())
          .contains("at most 2 rooms per session");
      client.result("room.join", "{\"room\":\"two\"}");
      client.result("room.leave", "{\"room\":\"one\"}");
      client.result("room.join", "{\"room\":\"three\"}");
      assertThat(metrics(server)).contains("limit=\"rooms_per_session\"");
    }
  }

  @Test
  void aPeerThatStopsAnsweringPingsIsDroppedAndLeavesItsRooms() throws IOException {
    try (TestServer server = start(200, 400, 1000, 100, 1); WsClient observer = server.connect()) {
      observer.result("session.hello", "{\"name\":\"watcher\"}");
      observer.result("room.join", "{\"room\":\"liveness\"}");
      try (RawWebSocket silent = RawWebSocket.open(server.port(), "")) {
        assertThat(silent.status()).startsWith("HTTP/1.1 101");
        silent.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"liveness\"}}");
        observer.awaitNotification("room.joined");
        // Bounded by the wait: two ping intervals of silence and the drop, on a loaded machine too.
        JsonObject left = observer.await(o -> "room.left".equals(o.has("method") ? o.get("method").getAsString() : null),
            Duration.ofSeconds(8));
        assertThat(left.getAsJsonObject("params").get("room").getAsString()).isEqualTo("liveness");
      }
      assertThat(observer.isClosed()).as("a peer that answers pings stays").isFalse();
      observer.result("echo", "{}");
    }
  }
}
