package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.INVALID_REQUEST;
import static io.parley.server.e2e.Wire.METHOD_NOT_FOUND;
import static io.parley.server.e2e.Wire.PARSE_ERROR;
import static io.parley.server.e2e.Wire.assertError;
import static io.parley.server.e2e.Wire.exchange;
import static io.parley.server.e2e.Wire.object;
import static io.parley.server.e2e.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON-RPC 2.0 strictness over the socket for single frames: parse errors, invalid requests, ids. */
@Timeout(60)
class WebSocketErrorsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"hi\":1}", "not json",
      "", "{'jsonrpc':'2.0','id':1,'method':'echo','params':[]}", "[1,2", "{\"jsonrpc\":\"2.0\"} trailing",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[NaN]}"})
  void nonJsonIsAParseErrorWithNullId(String frame) {
    try (WsClient c = server.connect()) {
      String raw = exchange(c, frame);
      JsonObject response = object(raw);
      assertError(response, PARSE_ERROR);
      assertThat(response.get("id")).isEqualTo(JsonNull.INSTANCE);
      assertThat(raw).contains("\"id\":null");
      assertThat(c.result("echo", "{\"still\":\"open\"}").toString()).isEqualTo("{\"still\":\"open\"}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"foo\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"echo\",\"params\":[]}",
      "{\"id\":1,\"method\":\"echo\",\"params\":[]}", "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"echo\",\"params\":[]}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":\"x\"}", "42", "\"echo\"", "null", "true"})
  void notARequestObjectIsInvalidRequest(String frame) {
    try (WsClient c = server.connect()) {
      assertError(object(exchange(c, frame)), INVALID_REQUEST);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[1]", "true"})
  void anIdThatIsNotStringNumberOrNullIsInvalidRequestWithNullId(String id) {
    try (WsClient c = server.connect()) {
      JsonObject response = object(exchange(c, request(id, "echo", "[1]")));
      assertError(response, INVALID_REQUEST);
      assertThat(response.get("id")).isEqualTo(JsonNull.INSTANCE);
    }
  }

  @Test
  void emptyBatchIsOneInvalidRequestObject() {
    try (WsClient c = server.connect()) {
      String raw = exchange(c, "[]");
      assertThat(raw.trim()).startsWith("{");
      JsonObject response = object(raw);
      assertError(response, INVALID_REQUEST);
      assertThat(response.get("id")).isEqualTo(JsonNull.INSTANCE);
    }
  }

  @Test
  void unknownMethodIsMethodNotFoundWithTheStringIdEchoed() {
    try (WsClient c = server.connect()) {
      String raw = exchange(c, request("\"req-7\"", "no.such", "{}"));
      JsonObject response = object(raw);
      assertError(response, METHOD_NOT_FOUND);
      assertThat(raw).contains("\"id\":\"req-7\"");
      assertError(object(exchange(c, request("8", "Echo", "[1]"))), METHOD_NOT_FOUND);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rpc.foo", "rpc.", "rpc.discover.more", "rpc.echo"})
  void reservedRpcNamesOtherThanDiscoverAreMethodNotFound(String method) {
    try (WsClient c = server.connect()) {
      assertError(object(exchange(c, request("1", method, "{}"))), METHOD_NOT_FOUND);
    }
  }

  /** The id token comes back exactly as it was written. */
  @ParameterizedTest
  @ValueSource(strings = {"1.0", "\"abc\"", "null", "0", "-5", "1e2", "12345678901234567890123",
      "9007199254740993", "2.50", "\"\"", "\"1\"", "\"ünï 😀\""})
  void idsAreEchoedExactlyAsRawText(String id) {
    try (WsClient c = server.connect()) {
      String raw = exchange(c, request(id, "echo", "[1]"));
      assertThat(raw).contains("\"id\":" + id);
      assertThat(object(raw).get("result")).isEqualTo(JsonParser.parseString("[1]"));
    }
  }

  @Test
  void errorsEchoTheIdExactlyToo() {
    try (WsClient c = server.connect()) {
      assertThat(exchange(c, request("1.0", "no.such", "{}"))).contains("\"id\":1.0");
      assertThat(exchange(c, request("\"abc\"", "echo", null))).contains("\"id\":\"abc\"");
      assertThat(exchange(c, request("null", "chat.send", "{\"room\":\"r\",\"text\":\"x\"}")))
          .contains("\"id\":null").contains("-32002");
    }
  }

  @Test
  void notificationsGetNoResponseNotEvenAnError() {
    try (WsClient c = server.connect()) {
      c.send(Wire.notification("echo", "[1]"));
      c.send(Wire.notification("no.such", "{}"));
      c.send(Wire.notification("echo", null));
      c.send(Wire.notification("chat.send", "{\"room\":\"nowhere\",\"text\":\"x\"}"));
      Wire.assertNothingArrived(c);
    }
  }

  @Test
  void aNotificationIsRunEvenThoughItIsNotAnswered() {
    try (WsClient c = server.connect()) {
      c.result("session.hello", "{\"name\":\"silent\"}");
      c.result("room.join", "{\"room\":\"notified\"}");
      c.send(Wire.notification("chat.send", "{\"room\":\"notified\",\"text\":\"fire and forget\"}"));
      JsonObject message = c.awaitNotification("chat.message");
      Wire.assertMessage(message, "notified", 1, "silent", "fire and forget");
    }
  }

  @Test
  void errorRepliesCarryNoStackTrace() {
    try (WsClient c = server.connect()) {
      for (String frame : new String[] {"{", "{\"foo\":1}", request("1", "no.such", null),
          request("2", "chat.history", "{\"room\":\"x\",\"limit\":\"many\"}"), request("3", "room.join", "[1,2]")}) {
        assertThat(exchange(c, frame)).doesNotContain("Exception").doesNotContain("at io.")
            .doesNotContain("\tat ").doesNotContain("java.");
      }
    }
  }
}
