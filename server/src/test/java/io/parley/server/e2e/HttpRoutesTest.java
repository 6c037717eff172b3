package io.parley.server.e2e;

import static io.parley.server.e2e.Http.assertError;
import static io.parley.server.e2e.Http.call;
import static io.parley.server.e2e.Http.json;
import static io.parley.server.e2e.Wire.INVALID_REQUEST;
import static io.parley.server.e2e.Wire.PARSE_ERROR;
import static io.parley.server.e2e.Wire.notification;
import static io.parley.server.e2e.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain HTTP routes and JSON-RPC over {@code POST /rpc}. */
@Timeout(60)
class HttpRoutesTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject rpc(String body) {
    HttpResponse<String> response = server.post("/rpc", body);
    assertThat(response.statusCode()).as("POST /rpc %s -> %s", body, response.body()).isEqualTo(200);
    return json(response);
  }

  @Test
  void healthIsUp() {
    HttpResponse<String> response = server.get("/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response)).isEqualTo(JsonParser.parseString("{\"status\":\"up\"}"));
  }

  @Test
  void readyIs200WhileTheStoreAnswers() {
    assertThat(server.get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void rootServesHtml() {
    HttpResponse<String> response = server.get("/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(response.body()).containsIgnoringCase("<!doctype html").containsIgnoringCase("<title>");
  }

  @Test
  void metricsArePrometheusText() {
    server.post("/rpc", request("1", "echo", "[1]"));
    HttpResponse<String> response = server.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(response.body()).contains("parley_").containsPattern("(?m)^# TYPE parley_\\w+ \\w+$");
  }

  @Test
  void rpcEchoes() {
    JsonObject response = rpc(request("1", "echo", "{\"hi\":[1,null,\"ü😀\"]}"));
    assertThat(response).isEqualTo(JsonParser.parseString(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"hi\":[1,null,\"ü😀\"]}}"));
  }

  @Test
  void rpcAnswersABatchInOrderWithoutNotifications() {
    HttpResponse<String> response = server.post("/rpc", "[" + request("\"a\"", "echo", "[1]") + ","
        + notification("echo", "[2]") + "," + request("3", "no.such", null) + "," + request("4", "echo", "{}") + "]");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonArray replies = JsonParser.parseString(response.body()).getAsJsonArray();
    assertThat(replies).hasSize(3);
    assertThat(replies.get(0).getAsJsonObject().get("id").getAsString()).isEqualTo("a");
    Wire.assertError(replies.get(1).getAsJsonObject(), Wire.METHOD_NOT_FOUND);
    assertThat(replies.get(2).getAsJsonObject().get("result")).isEqualTo(new JsonObject());
  }

  @Test
  void rpcWithOnlyNotificationsAnswers204() {
    HttpResponse<String> single = server.post("/rpc", notification("echo", "[1]"));
    assertThat(single.statusCode()).isEqualTo(204);
    assertThat(single.body()).isEmpty();
    HttpResponse<String> batch = server.post("/rpc", "[" + notification("echo", "[1]") + "," + notification("x.y", null) + "]");
    assertThat(batch.statusCode()).isEqualTo(204);
    assertThat(batch.body()).isEmpty();
  }

  @Test
  void rpcParseErrorAndInvalidRequest() {
    JsonObject parse = rpc("{\"jsonrpc\":\"2.0\",");
    Wire.assertError(parse, PARSE_ERROR);
    assertThat(parse.get("id")).isEqualTo(JsonNull.INSTANCE);
    Wire.assertError(rpc("[]"), INVALID_REQUEST);
    assertThat(server.post("/rpc", "1.0").body()).contains("-32600");
    assertThat(server.post("/rpc", request("1.0", "echo", "[1]")).body()).contains("\"id\":1.0");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"room.join|{\"room\":\"lobby\"}", "room.leave|{\"room\":\"lobby\"}",
      "room.members|{\"room\":\"lobby\"}", "session.hello|{\"name\":\"alice\"}"})
  void sessionMethodsAreInvalidRequestsOverHttp(String method, String params) {
    JsonObject response = rpc(request("\"s\"", method, params));
    Wire.assertError(response, INVALID_REQUEST);
    assertThat(response.get("id").getAsString()).isEqualTo("s");
  }

  @Test
  void rpcChatSendNeedsNoSessionAndReachesWebSocketMembers() {
    try (WsClient alice = server.connect()) {
      alice.result("session.hello", "{\"name\":\"alice\"}");
      alice.result("room.join", "{\"room\":\"http-send\"}");
      JsonObject sent = rpc(request("5", "chat.send", "{\"room\":\"http-send\",\"text\":\"from curl\"}"))
          .getAsJsonObject("result");
      Wire.assertMessage(sent, "http-send", 1, "http", "from curl");
      assertThat(alice.awaitNotification("chat.message")).isEqualTo(sent);
      JsonObject history = rpc(request("6", "chat.history", "{\"room\":\"http-send\"}")).getAsJsonObject("result");
      assertThat(history.getAsJsonArray("messages")).containsExactly(sent);
    }
  }

  @Test
  void rpcBroadcastComesFromHttp() {
    try (WsClient alice = server.connect()) {
      alice.result("echo", "{}");
      JsonObject result = rpc(request("7", "broadcast", "{\"text\":\"hello sockets\"}")).getAsJsonObject("result");
      assertThat(result.get("delivered").getAsInt()).isGreaterThanOrEqualTo(1);
      JsonObject note = alice.awaitNotification("broadcast");
      assertThat(note.get("from").getAsString()).isEqualTo("http");
      assertThat(note.get("text").getAsString()).isEqualTo("hello sockets");
    }
  }

  @Test
  void rpcBodyOverTheLimitIs413() {
    Http.assertEveryOversizeBodyIsAnswered413(server, "/rpc",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"", "\"]}", 20);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "/api/rooms/lobby", "/api/rooms/lobby/messages/1", "/health/x", "/api"})
  void unknownPathsAre404Json(String path) {
    assertError(server.get(path), 404);
    assertError(call(server, "POST", path, "{}"), 404);
  }

  @ParameterizedTest
  @CsvSource({"DELETE,/health", "GET,/rpc", "POST,/health", "PUT,/ready", "POST,/metrics",
      "DELETE,/api/rooms/lobby/messages", "PUT,/api/rooms/lobby/messages", "DELETE,/"})
  void wrongMethodsAre405Json(String method, String path) {
    HttpResponse<String> response = call(server, method, path, method.equals("PUT") ? "{}" : null);
    assertError(response, 405);
    assertThat(response.headers().firstValue("Allow")).isPresent();
  }
}
