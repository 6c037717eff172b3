package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.INVALID_REQUEST;
import static io.parley.server.e2e.Wire.assertError;
import static io.parley.server.e2e.Wire.assertInvalidParams;
import static io.parley.server.e2e.Wire.exchange;
import static io.parley.server.e2e.Wire.object;
import static io.parley.server.e2e.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code echo}, {@code session.hello} and {@code rpc.discover} over a real WebSocket. */
@Timeout(60)
class SessionMethodsTest {
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
  @ValueSource(strings = {
      "{\"hi\":1}",
      "[1,\"two\",null]",
      "{\"a\":{\"b\":[null,{\"c\":null}],\"d\":null},\"e\":[[],{}]}",
      "{\"text\":\"héllo wörld 你好 😀🎉 \\u0000 \\\"q\\\" \\\\\"}",
      "[]",
      "{}",
      "[3.25,-0,1e2,12345678901234567890123,true,false]"})
  void echoReturnsParamsUnchanged(String params) {
    try (WsClient c = server.connect()) {
      JsonElement result = c.call("echo", params).get("result");
      assertThat(result).isEqualTo(JsonParser.parseString(params));
    }
  }

  @Test
  void echoKeepsUnicodeExactlyOnTheWire() {
    try (WsClient c = server.connect()) {
      String text = "ünïcödé 日本語 𝄞 😀";
      String raw = exchange(c, request("1", "echo", "[\"" + text + "\"]"));
      assertThat(JsonParser.parseString(raw).getAsJsonObject().getAsJsonArray("result").get(0).getAsString())
          .isEqualTo(text);
    }
  }

  @Test
  void echoWithoutParamsIsInvalidParamsNamingParams() {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("echo", null), "params");
    }
  }

  /** The contract: {@code params} neither object nor array makes the request itself invalid. */
  @ParameterizedTest
  @ValueSource(strings = {"\"just a string\"", "5", "true", "null"})
  void echoWithScalarParamsIsInvalidRequest(String params) {
    try (WsClient c = server.connect()) {
      JsonObject response = object(exchange(c, request("9", "echo", params)));
      assertError(response, INVALID_REQUEST);
    }
  }

  @Test
  void helloTakesTheNameAndAnswersTheProtocol() {
    try (WsClient c = server.connect()) {
      JsonObject hello = c.result("session.hello", "{\"name\":\"alice\"}");
      assertThat(hello.keySet()).contains("user", "session", "protocol");
      assertThat(hello.get("user").getAsString()).isEqualTo("alice");
      assertThat(hello.get("session").getAsString()).isNotBlank();
      assertThat(hello.get("protocol").getAsString()).isEqualTo("parley/1.1");
    }
  }

  @Test
  void helloAcceptsThirtyTwoCodePointsOfUnicode() {
    String name = "😀".repeat(32);
    try (WsClient c = server.connect()) {
      assertThat(c.result("session.hello", "{\"name\":\"" + name + "\"}").get("user").getAsString())
          .isEqualTo(name);
    }
  }

  /** Names that would spoof another or forge a log line are refused, naming the code point. */
  @Test
  void helloRefusesBidiZeroWidthAndSeparatorCharactersNamingTheCodePoint() {
    try (WsClient c = server.connect()) {
      JsonObject refused = object(exchange(c, request("1", "session.hello", "{\"name\":\"admin\\u202enimda\"}")));
      assertInvalidParams(refused, "name");
      assertThat(refused.getAsJsonObject("error").get("message").getAsString()).isEqualTo(
          "name: expected no bidi controls, zero-width characters or line separators, got U+202E (a bidirectional control)");
      JsonObject zeroWidth = object(exchange(c, request("2", "session.hello", "{\"name\":\"al\\u200bice\"}")));
      assertThat(zeroWidth.getAsJsonObject("error").get("message").getAsString()).endsWith("got U+200B (a zero-width character)");
      JsonObject separator = object(exchange(c, request("3", "session.hello", "{\"name\":\"bob\\u2028x\"}")));
      assertThat(separator.getAsJsonObject("error").get("message").getAsString())
          .endsWith("got U+2028 (a line or paragraph separator)");
      assertThat(c.result("session.hello", "{\"name\":\"\u05e9\u05dc\u05d5\u05dd\"}").get("user").getAsString())
          .as("a right-to-left name without controls").isEqualTo("\u05e9\u05dc\u05d5\u05dd");
    }
  }

  @Test
  void httpPostRefusesASpoofingFromWith400() {
    HttpResponse<String> response =
        server.post("/api/rooms/spoof/messages", "{\"text\":\"hi\",\"from\":\"admin\\u202enimda\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("got U+202E (a bidirectional control)");
  }

  @Test
  void withoutHelloTheUserIsAGuest() {
    try (WsClient c = server.connect(); WsClient d = server.connect()) {
      JsonObject joined = c.result("room.join", "{\"room\":\"guest-room\"}");
      String guest = joined.getAsJsonArray("members").get(0).getAsString();
      assertThat(guest).matches("guest-.+");
      JsonObject sent = c.result("chat.send", "{\"room\":\"guest-room\",\"text\":\"who am i\"}");
      assertThat(sent.get("from").getAsString()).isEqualTo(guest);
      JsonObject hello = c.result("session.hello", "{}");
      assertThat(hello.get("user").getAsString()).isEqualTo(guest);
      assertThat(hello.get("protocol").getAsString()).isEqualTo("parley/1.1");
      JsonObject other = d.result("session.hello", "{}");
      assertThat(other.get("user").getAsString()).matches("guest-.+").isNotEqualTo(guest);
      assertThat(other.get("session").getAsString()).isNotEqualTo(hello.get("session").getAsString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\"abcdefghijklmnopqrstuvwxyz0123456\"", "\"tab\\there\"",
      "\"nl\\nx\"", "\"\\u0000\"", "5", "[\"alice\"]", "{\"n\":1}"})
  void helloRefusesBadNamesNamingTheField(String name) {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("session.hello", "{\"name\":" + name + "}"), "name");
    }
  }

  @Test
  void renamingWhileInARoomIsForbidden() {
    try (WsClient c = server.connect()) {
      c.result("session.hello", "{\"name\":\"stay\"}");
      c.result("room.join", "{\"room\":\"rename-room\"}");
      assertError(c.call("session.hello", "{\"name\":\"other\"}"), Wire.FORBIDDEN);
      c.result("room.leave", "{\"room\":\"rename-room\"}");
      assertThat(c.result("session.hello", "{\"name\":\"other\"}").get("user").getAsString()).isEqualTo("other");
    }
  }

  @Test
  void discoverAnswersAnOpenRpcDocumentListingEveryMethod() {
    try (WsClient c = server.connect()) {
      JsonObject doc = c.result("rpc.discover", null);
      assertThat(doc.get("openrpc").getAsString()).startsWith("1.");
      assertThat(doc.has("info")).isTrue();
      JsonArray methods = doc.getAsJsonArray("methods");
      List<String> names = new ArrayList<>();
      methods.forEach(m -> names.add(m.getAsJsonObject().get("name").getAsString()));
      assertThat(names).as("every method of the contract, 1.1 included, in its order")
          .containsExactlyElementsOf(io.parley.protocol.Methods.ALL.stream().map(io.parley.protocol.RpcMethod::name)
              .toList());
      List<String> notifications = new ArrayList<>();
      doc.getAsJsonArray("x-notifications").forEach(n -> notifications.add(n.getAsJsonObject().get("name").getAsString()));
      assertThat(notifications).contains("chat.message", "chat.change", "chat.typing", "room.read");
    }
  }
}
