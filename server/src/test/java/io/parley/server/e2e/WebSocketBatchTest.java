package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.INVALID_REQUEST;
import static io.parley.server.e2e.Wire.METHOD_NOT_FOUND;
import static io.parley.server.e2e.Wire.assertError;
import static io.parley.server.e2e.Wire.exchange;
import static io.parley.server.e2e.Wire.notification;
import static io.parley.server.e2e.Wire.object;
import static io.parley.server.e2e.Wire.parse;
import static io.parley.server.e2e.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JSON-RPC 2.0 batches over the socket: order, notifications, invalid members, the size cap. */
@Timeout(60)
class WebSocketBatchTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonArray batchReply(WsClient c, String frame) {
    String raw = exchange(c, frame);
    JsonElement reply = parse(raw);
    assertThat(reply.isJsonArray()).as("a batch reply must be an array: %s", raw).isTrue();
    return reply.getAsJsonArray();
  }

  @Test
  void theSpecificationsBatchExampleAnswersInRequestOrderSkippingNotifications() {
    try (WsClient c = server.connect()) {
      JsonArray replies = batchReply(c, "[" + request("\"a\"", "echo", "[1]") + ","
          + notification("echo", "[2]") + "," + request("7", "no.such", null) + "]");
      assertThat(replies).hasSize(2);
      JsonObject first = replies.get(0).getAsJsonObject();
      assertThat(first.get("id").getAsString()).isEqualTo("a");
      assertThat(first.get("result")).isEqualTo(JsonParser.parseString("[1]"));
      JsonObject second = replies.get(1).getAsJsonObject();
      assertThat(second.get("id").getAsInt()).isEqualTo(7);
      assertError(second, METHOD_NOT_FOUND);
    }
  }

  @Test
  void repliesComeInRequestOrderEvenWhenSlowerCallsComeFirst() {
    try (WsClient c = server.connect()) {
      StringJoiner batch = new StringJoiner(",", "[", "]");
      batch.add(request("\"join\"", "room.join", "{\"room\":\"batch-order\"}"));
      for (int i = 1; i <= 20; i++) {
        batch.add(request("\"send-" + i + "\"", "chat.send", "{\"room\":\"batch-order\",\"text\":\"t" + i + "\"}"));
        batch.add(request("\"echo-" + i + "\"", "echo", "[" + i + "]"));
      }
      batch.add(request("\"history\"", "chat.history", "{\"room\":\"batch-order\",\"limit\":500}"));
      c.send(batch.toString());
      JsonArray replies = c.await(o -> o.has("batch")).getAsJsonArray("batch");
      assertThat(replies).hasSize(42);
      assertThat(replies.get(0).getAsJsonObject().get("id").getAsString()).isEqualTo("join");
      for (int i = 1; i <= 20; i++) {
        JsonObject send = replies.get(2 * i - 1).getAsJsonObject();
        assertThat(send.get("id").getAsString()).isEqualTo("send-" + i);
        assertThat(send.getAsJsonObject("result").get("text").getAsString()).isEqualTo("t" + i);
        JsonObject echo = replies.get(2 * i).getAsJsonObject();
        assertThat(echo.get("id").getAsString()).isEqualTo("echo-" + i);
        assertThat(echo.get("result")).isEqualTo(JsonParser.parseString("[" + i + "]"));
      }
      assertThat(replies.get(41).getAsJsonObject().get("id").getAsString()).isEqualTo("history");
    }
  }

  @Test
  void aBatchOfOnlyNotificationsSendsNothingBack() {
    try (WsClient c = server.connect()) {
      c.send("[" + notification("echo", "[1]") + "," + notification("no.such", "{}") + ","
          + notification("echo", null) + "]");
      JsonObject next = object(exchange(c, request("\"after\"", "echo", "[\"after\"]")));
      assertThat(next.get("id").getAsString()).isEqualTo("after");
      assertThat(next.get("result")).isEqualTo(JsonParser.parseString("[\"after\"]"));
    }
  }

  @Test
  void everyInvalidMemberGetsItsOwnInvalidRequest() {
    try (WsClient c = server.connect()) {
      JsonArray replies = batchReply(c, "[1,2,3]");
      assertThat(replies).hasSize(3);
      for (JsonElement reply : replies) {
        assertError(reply.getAsJsonObject(), INVALID_REQUEST);
        assertThat(reply.getAsJsonObject().get("id")).isEqualTo(JsonNull.INSTANCE);
      }
      JsonArray mixed = batchReply(c, "[" + request("1", "echo", "[\"ok\"]") + ",{\"foo\":1},5,"
          + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":7}," + request("5", "echo", "[\"ok too\"]") + "]");
      assertThat(mixed).hasSize(5);
      assertThat(mixed.get(0).getAsJsonObject().get("result")).isEqualTo(JsonParser.parseString("[\"ok\"]"));
      for (int i = 1; i <= 3; i++) {
        assertError(mixed.get(i).getAsJsonObject(), INVALID_REQUEST);
      }
      assertThat(mixed.get(4).getAsJsonObject().get("id").getAsInt()).isEqualTo(5);
      assertThat(mixed.get(4).getAsJsonObject().get("result")).isEqualTo(JsonParser.parseString("[\"ok too\"]"));
    }
  }

  @Test
  void aBatchWithAnEmptyBatchInsideAnswersInvalidRequestForThatMember() {
    try (WsClient c = server.connect()) {
      JsonArray replies = batchReply(c, "[[]," + request("2", "echo", "[2]") + "]");
      assertThat(replies).hasSize(2);
      assertError(replies.get(0).getAsJsonObject(), INVALID_REQUEST);
      assertThat(replies.get(1).getAsJsonObject().get("result")).isEqualTo(JsonParser.parseString("[2]"));
    }
  }

  @Test
  void idsInsideABatchAreEchoedExactly() {
    try (WsClient c = server.connect()) {
      String raw = exchange(c, "[" + request("1.0", "echo", "[1]") + "," + request("\"abc\"", "echo", "[2]") + ","
          + request("null", "echo", "[3]") + "]");
      assertThat(raw).contains("\"id\":1.0").contains("\"id\":\"abc\"").contains("\"id\":null");
    }
  }

  @Test
  void aBatchOfAHundredIsServed() {
    try (WsClient c = server.connect()) {
      StringJoiner batch = new StringJoiner(",", "[", "]");
      for (int i = 0; i < 100; i++) {
        batch.add(request(Integer.toString(i), "echo", "[" + i + "]"));
      }
      JsonArray replies = batchReply(c, batch.toString());
      assertThat(replies).hasSize(100);
      for (int i = 0; i < 100; i++) {
        assertThat(replies.get(i).getAsJsonObject().get("id").getAsInt()).isEqualTo(i);
      }
    }
  }

  @Test
  void aBatchOverAHundredIsRefusedWholeAndNoneOfItRuns() {
    try (WsClient c = server.connect()) {
      c.result("room.join", "{\"room\":\"batch-cap\"}");
      StringJoiner batch = new StringJoiner(",", "[", "]");
      for (int i = 0; i < 101; i++) {
        batch.add(request("\"s" + i + "\"", "chat.send", "{\"room\":\"batch-cap\",\"text\":\"t" + i + "\"}"));
      }
      String raw = exchange(c, batch.toString());
      assertThat(raw.trim()).startsWith("{");
      JsonObject reply = object(raw);
      assertError(reply, INVALID_REQUEST);
      assertThat(reply.get("id")).isEqualTo(JsonNull.INSTANCE);
      Wire.assertNoNotification(c, "chat.message");
      assertThat(c.result("chat.history", "{\"room\":\"batch-cap\"}").getAsJsonArray("messages")).isEmpty();
    }
  }
}
