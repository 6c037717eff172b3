package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.browser.RawHttp;
import io.parley.server.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request bodies are read without holding a thread, within a deadline and above a minimum rate.
 * The attack this answers: a few hundred connections declaring a 60 KB body and sending a byte
 * now and then took every Jetty thread, and {@code /health} stopped answering.
 */
@Timeout(90)
class SlowBodyTest {
  /** More than Jetty's 200 pool threads: with a blocking read, these alone would hold them all. */
  private static final int SLOW_CLIENTS = 250;
  private static final int DECLARED = 60_000;
  /** Generous: the point is that they answer at all while the slow bodies are pending. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
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
  void aBodyThatTricklesIsAnswered408AndTheConnectionCloses() {
    try (RawHttp.Connection slow = RawHttp.open(server.port())) {
      slow.write(head("/rpc", DECLARED) + "{\"jsonrpc\"");
      RawHttp.Reply reply = slow.reply();
      JsonObject error = assertJsonError(reply, 408);
      assertThat(error.get("message").getAsString()).contains("too slowly").contains("bytes per second");
      assertThat(reply.header("Connection")).isEqualTo("close");
      assertThat(slow.closedByServer()).isTrue();
    }
  }

  @Test
  void aBodyThatNeverComesOnTheRestRouteIsAnswered408() {
    try (RawHttp.Connection slow = RawHttp.open(server.port())) {
      slow.write(head("/api/rooms/slow/messages", 100));
      assertJsonError(slow.reply(), 408);
    }
  }

  @Test
  void healthMetricsAndUpgradesAnswerWhileManyBodiesTrickle() throws Exception {
    List<RawHttp.Connection> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        slow.add(RawHttp.open(server.port()).write(head(i % 2 == 0 ? "/rpc" : "/api/rooms/r/messages", DECLARED) + "{"));
      }
      HttpClient client = HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();
      for (String path : new String[] {"/health", "/metrics", "/ready"}) {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.httpUri(path))
            .timeout(ANSWER_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s while %d bodies trickle", path, SLOW_CLIENTS).isEqualTo(200);
      }
      RawHttp.Reply upgrade = RawHttp.send(server.port(), "GET", "/ws", "Upgrade: websocket",
          "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
      assertThat(upgrade.status()).as("WebSocket upgrade while bodies trickle").isEqualTo(101);
      for (RawHttp.Connection connection : slow) {
        assertThat(connection.reply().status()).isEqualTo(408);
      }
    } finally {
      slow.forEach(RawHttp.Connection::close);
    }
  }

  @Test
  void aBodyInChunksThatArrivesIsRead() {
    String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"hi\"}}";
    try (RawHttp.Connection connection = RawHttp.open(server.port())) {
      connection.write("POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      connection.write(Integer.toHexString(10) + "\r\n" + call.substring(0, 10) + "\r\n");
      String rest = call.substring(10);
      connection.write(Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
      RawHttp.Reply reply = connection.reply();
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.body()).contains("\"result\"");
    }
  }

  static String head(String path, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\n\r\n";
  }

  static JsonObject assertJsonError(RawHttp.Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonObject error = JsonParser.parseString(reply.body()).getAsJsonObject().getAsJsonObject("error");
    assertThat(error.get("status").getAsInt()).isEqualTo(status);
    return error;
  }
}
