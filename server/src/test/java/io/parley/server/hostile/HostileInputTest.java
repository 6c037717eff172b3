package io.parley.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile frames sent over a real WebSocket to one server: each case asserts the exact
 * JSON-RPC error code (or close code), and that the connection still answers afterwards. The last
 * test proves the server is still up and a seeded room's history is exactly as it was.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_REQUEST = -32600;
  private static final int METHOD_NOT_FOUND = -32601;
  private static final int INVALID_PARAMS = -32602;
  private static final int TOO_LARGE = -32004;
  private static final int CLOSE_BAD_DATA = 1007;
  private static final int CLOSE_TOO_BIG = 1009;

  private static final String SEEDED = "seeded";
  private static final String SCRATCH = "scratch";
  private static final String SQL = "'; DROP TABLE messages; --";
  private static final String MARKUP = "<script>alert(1)</script>";

  private static TestServer server;
  private static JsonObject historyBefore;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
    try (WsClient seeder = server.connect()) {
      seeder.result("session.hello", "{\"name\":\"seeder\"}");
      seeder.result("room.join", "{\"room\":\"" + SEEDED + "\"}");
      for (String text : List.of("first", "second \u00e9\ud83d\ude00", "third")) {
        JsonObject params = new JsonObject();
        params.addProperty("room", SEEDED);
        params.addProperty("text", text);
        seeder.result("chat.send", params);
      }
      historyBefore = seeder.result("chat.history", "{\"room\":\"" + SEEDED + "\",\"limit\":500}");
    }
    assertThat(historyBefore.getAsJsonArray("messages")).hasSize(3);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A request frame with id "h", this method and these raw params (null: none). */
  private static String req(String method, String rawParams) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"h\",\"method\":" + lit(method) + (rawParams == null ? "" : ",\"params\":" + rawParams) + "}";
  }

  /** A JSON string literal for this Java string, with every non-ASCII or control char escaped. */
  private static String lit(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private static String batch(int items) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      members.add("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"echo\",\"params\":[" + i + "]}");
    }
    return "[" + String.join(",", members) + "]";
  }

  private static Arguments c(String label, String frame, int expected) {
    return Arguments.of(label, frame, expected);
  }

  static Stream<Arguments> corpus() {
    List<Arguments> cases = new ArrayList<>();
    // Broken JSON.
    for (String broken : List.of("{", "not json", "[1,2", "{\"jsonrpc\":\"2.0\",", "{\"a\":1}}", "\"unterminated",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1,]}", "{'jsonrpc':'2.0'}", "]", "{]",
        "{\"jsonrpc\":\"2.0\" \"id\":1}", "[NaN]", "[Infinity]", "{\"jsonrpc\":\"2.0\"} {}", "\u0000",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"\\x41\"]}")) {
      cases.add(c("broken json " + lit(broken), broken, PARSE_ERROR));
    }
    // Deep nesting past 64 levels, and duplicate keys: structural refusals.
    for (int depth : List.of(65, 100, 5_000)) {
      cases.add(c("echo params nested " + depth, req("echo", nested(depth)), INVALID_REQUEST));
    }
    cases.add(c("objects nested 80", req("echo", "{\"a\":".repeat(80) + "1" + "}".repeat(80)), INVALID_REQUEST));
    cases.add(c("duplicate id", "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"echo\",\"params\":[]}",
        INVALID_REQUEST));
    cases.add(c("duplicate method", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"method\":\"broadcast\","
        + "\"params\":[]}", INVALID_REQUEST));
    cases.add(c("duplicate param", req("chat.history", "{\"room\":\"a\",\"room\":\"b\"}"), INVALID_REQUEST));
    // Invalid request objects.
    cases.add(c("jsonrpc 1.0", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"echo\",\"params\":[]}", INVALID_REQUEST));
    cases.add(c("method number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", INVALID_REQUEST));
    cases.add(c("params string", req("echo", "\"x\""), INVALID_REQUEST));
    cases.add(c("params number 1e400", req("echo", "1e400"), INVALID_REQUEST));
    cases.add(c("id object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"echo\",\"params\":[]}", INVALID_REQUEST));
    // Batches.
    cases.add(c("batch of 101", batch(101), INVALID_REQUEST));
    cases.add(c("batch of 500", batch(500), INVALID_REQUEST));
    cases.add(c("empty batch", "[]", INVALID_REQUEST));
    // Unknown and reserved methods.
    for (String method : List.of("no.such", "", "ECHO", "echo ", "chat.send\u0000", "x".repeat(1_000), "rpc.foo",
        "rpc.", "rpc.discover.more", "rpc.echo", "__proto__", "constructor")) {
      cases.add(c("method " + lit(method), req(method, "{}"), METHOD_NOT_FOUND));
    }
    // Huge numbers in params.
    String digits400 = "9".repeat(400);
    for (String field : List.of("limit", "before", "after")) {
      for (String value : List.of(digits400, "-" + digits400, "1e400", "-1e400", "1.5", "\"1\"", "true", "[]", "{}")) {
        cases.add(c("chat.history " + field + "=" + value.substring(0, Math.min(12, value.length())),
            req("chat.history", "{\"room\":\"r\",\"" + field + "\":" + value + "}"), INVALID_PARAMS));
      }
    }
    cases.add(c("limit 0", req("chat.history", "{\"room\":\"r\",\"limit\":0}"), INVALID_PARAMS));
    cases.add(c("limit 501", req("chat.history", "{\"room\":\"r\",\"limit\":501}"), INVALID_PARAMS));
    for (String value : List.of(digits400, "1e400", "\"1\"", "1.5", "[]", "true")) {
      cases.add(c("room.join since=" + value.substring(0, Math.min(12, value.length())),
          req("room.join", "{\"room\":\"r\",\"since\":" + value + "}"), INVALID_PARAMS));
    }
    // Wrong types and missing params for every method.
    for (String method : List.of("room.join", "room.leave", "room.members", "chat.history")) {
      for (String room : List.of("5", "null", "true", "[]", "{}", "1e400")) {
        cases.add(c(method + " room=" + room, req(method, "{\"room\":" + room + "}"), INVALID_PARAMS));
      }
      cases.add(c(method + " no params", req(method, null), INVALID_PARAMS));
      cases.add(c(method + " params array", req(method, "[\"lobby\"]"), INVALID_PARAMS));
      cases.add(c(method + " empty params", req(method, "{}"), INVALID_PARAMS));
    }
    for (String value : List.of("5", "null", "true", "[]", "{}")) {
      cases.add(c("chat.send room=" + value, req("chat.send", "{\"room\":" + value + ",\"text\":\"x\"}"),
          INVALID_PARAMS));
      cases.add(c("chat.send text=" + value, req("chat.send", "{\"room\":\"" + SCRATCH + "\",\"text\":" + value + "}"),
          INVALID_PARAMS));
      cases.add(c("broadcast text=" + value, req("broadcast", "{\"text\":" + value + "}"), INVALID_PARAMS));
      if (!value.equals("null")) { // null in an optional param is taken as absent (see the test below)
        cases.add(c("chat.send clientId=" + value, req("chat.send", "{\"room\":\"" + SCRATCH
            + "\",\"text\":\"x\",\"clientId\":" + value + "}"), INVALID_PARAMS));
        cases.add(c("hello name=" + value, req("session.hello", "{\"name\":" + value + "}"), INVALID_PARAMS));
        cases.add(c("hello token=" + value, req("session.hello", "{\"token\":" + value + "}"), INVALID_PARAMS));
      }
    }
    cases.add(c("echo without params", req("echo", null), INVALID_PARAMS));
    cases.add(c("broadcast without params", req("broadcast", null), INVALID_PARAMS));
    cases.add(c("chat.send without params", req("chat.send", null), INVALID_PARAMS));
    // Room names: SQL, markup, NUL, lone surrogates, control characters, empty, too long.
    for (String room : List.of(SQL, MARKUP, "robert'); DROP TABLE rooms;--", "lobby/../x", "", " ", "a".repeat(65),
        "room\u0000", "\u0000", "\ud800", "a\udc00", "lobby\n", "tab\troom", "\u007f", "caf\u00e9", "%00",
        "lobby\u202e")) {
      for (String method : List.of("room.join", "chat.history", "chat.send")) {
        cases.add(c(method + " room " + lit(room), req(method, "{\"room\":" + lit(room) + ",\"text\":\"x\"}"),
            INVALID_PARAMS));
      }
    }
    // User names: control characters, NUL, lone surrogates, empty, too long, bidi controls,
    // zero-width characters, line and paragraph separators.
    for (String name : List.of("", "a".repeat(33), "bad\u0001name", "tab\tname", "line\nbreak", "\u0000",
        "nul\u0000x", "\ud800", "x\udfff", "\u009b", "\u007f", "admin\u202enimda", "\u2066bob\u2069",
        "al\u200bice", "\ufeffbob", "bob\u2028INFO forged", "bob\u2029", "\u061cx", "x\u200f")) {
      cases.add(c("hello name " + lit(name), req("session.hello", "{\"name\":" + lit(name) + "}"), INVALID_PARAMS));
    }
    // Texts: empty, NUL, lone surrogates, too long.
    for (String text : List.of("", "\u0000", "a\u0000b", "\ud800", "\udc00", "a\ud800b", "\udbff\udbff")) {
      cases.add(c("chat.send text " + lit(text), req("chat.send", "{\"room\":\"" + SCRATCH + "\",\"text\":" + lit(text)
          + "}"), INVALID_PARAMS));
      cases.add(c("broadcast text " + lit(text), req("broadcast", "{\"text\":" + lit(text) + "}"), INVALID_PARAMS));
    }
    cases.add(c("clientId NUL", req("chat.send", "{\"room\":\"" + SCRATCH + "\",\"text\":\"x\",\"clientId\":\"\\u0000\"}"),
        INVALID_PARAMS));
    cases.add(c("clientId lone surrogate", req("chat.send", "{\"room\":\"" + SCRATCH
        + "\",\"text\":\"x\",\"clientId\":\"\\ud800\"}"), INVALID_PARAMS));
    cases.add(c("clientId empty", req("chat.send", "{\"room\":\"" + SCRATCH + "\",\"text\":\"x\",\"clientId\":\"\"}"),
        INVALID_PARAMS));
    cases.add(c("text 4097", req("chat.send", "{\"room\":\"" + SCRATCH + "\",\"text\":\"" + "x".repeat(4_097) + "\"}"),
        TOO_LARGE));
    cases.add(c("frame over 64 KiB", req("echo", "[\"" + "x".repeat(70_000) + "\"]"), CLOSE_TOO_BIG));
    return cases.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostileFrameGetsTheExactError(String label, String frame, int expected) {
    try (WsClient c = server.connect()) {
      c.result("room.join", "{\"room\":\"" + SCRATCH + "\"}");
      c.send(frame);
      if (expected > 0) {
        assertThat(c.awaitClose()).as(label).isEqualTo(expected);
        return;
      }
      String raw = c.nextReplyRaw();
      assertThat(raw).as(label).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
      JsonElement reply = JsonParser.parseString(raw);
      assertThat(reply.isJsonObject()).as("%s: one object expected, got %s", label, raw).isTrue();
      JsonObject response = reply.getAsJsonObject();
      assertThat(response.get("jsonrpc").getAsString()).isEqualTo("2.0");
      assertThat(response.has("result")).as("%s: no result expected in %s", label, raw).isFalse();
      assertThat(response.getAsJsonObject("error").get("code").getAsInt()).as("%s: %s", label, raw)
          .isEqualTo(expected);
      if (expected == INVALID_PARAMS) {
        assertThat(response.getAsJsonObject("error").getAsJsonObject("data").get("field").getAsString())
            .as("%s: field in %s", label, raw).isNotEmpty();
      }
      if (expected == PARSE_ERROR || frame.startsWith("[")) {
        assertThat(response.get("id")).isEqualTo(JsonNull.INSTANCE);
      }
      assertThat(c.call("echo", "[\"still open\"]").get("result").toString()).isEqualTo("[\"still open\"]");
    }
  }

  static Stream<Arguments> verbatim() {
    return Stream.of(
        Arguments.of("sql", SQL, SQL),
        Arguments.of("markup", MARKUP, MARKUP),
        Arguments.of("quotes", "\"quoted\" \\ back", "O'Brien \"x\""),
        Arguments.of("controls in text", "bell\u0007 tab\t nl\n esc\u001b del\u007f", "plain"),
        Arguments.of("unicode", "\u202eevil \ud83d\ude00 \u00e9 \ufeff", "\u00e9\u00e8 \ud83d\ude00"),
        Arguments.of("json in text", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.discover\"}", "{}[]"),
        Arguments.of("html entity", "&lt;b&gt; &amp; <img src=x onerror=alert(1)>", "<b>bold</b>"));
  }

  /** Hostile texts and user names that the rules allow are stored and read back exactly as sent. */
  @Order(2)
  @ParameterizedTest(name = "{0}")
  @MethodSource("verbatim")
  void allowedHostileTextsAndNamesAreStoredVerbatim(String label, String text, String name) {
    String room = "verbatim-" + label.replace(' ', '-');
    try (WsClient c = server.connect()) {
      JsonObject hello = c.result("session.hello", "{\"name\":" + lit(name) + "}");
      assertThat(hello.get("user").getAsString()).isEqualTo(name);
      c.result("room.join", "{\"room\":\"" + room + "\"}");
      JsonObject sent = c.result("chat.send", "{\"room\":\"" + room + "\",\"text\":" + lit(text) + "}");
      assertThat(sent.get("text").getAsString()).isEqualTo(text);
      assertThat(sent.get("from").getAsString()).isEqualTo(name);
      JsonObject stored = c.result("chat.history", "{\"room\":\"" + room + "\"}").getAsJsonArray("messages")
          .get(0).getAsJsonObject();
      assertThat(stored.get("text").getAsString()).isEqualTo(text);
      assertThat(stored.get("from").getAsString()).isEqualTo(name);
    }
  }

  /** Ids and echo params with 400 digits or 1e400 come back as the same tokens. */
  @Order(3)
  @ParameterizedTest(name = "{0}")
  @MethodSource("hugeNumbers")
  void hugeNumbersAreEchoedUnchanged(String label, String rawId, String rawParams) {
    try (WsClient c = server.connect()) {
      c.send("{\"jsonrpc\":\"2.0\",\"id\":" + rawId + ",\"method\":\"echo\",\"params\":" + rawParams + "}");
      String raw = c.nextRaw();
      assertThat(raw).contains("\"id\":" + rawId);
      assertThat(raw).contains("\"result\":" + rawParams);
    }
  }

  static Stream<Arguments> hugeNumbers() {
    String digits = "1234567890".repeat(40);
    return Stream.of(
        Arguments.of("400-digit id", digits, "[1]"),
        Arguments.of("negative 400-digit id", "-" + digits, "[1]"),
        Arguments.of("1e400 id", "1e400", "[1]"),
        Arguments.of("400-digit param", "1", "[" + digits + "]"),
        Arguments.of("1e400 param", "2", "[1e400]"),
        Arguments.of("-1e400 param", "3", "{\"n\":-1e400}"),
        Arguments.of("tiny param", "4", "[1e-400]"));
  }

  /** Invalid UTF-8 in a text frame: Jetty closes with 1007. */
  @Order(4)
  @ParameterizedTest(name = "text frame {0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8InATextFrameClosesWith1007(String label, byte[] payload) throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
      raw.send(RawWebSocket.TEXT, payload);
      RawWebSocket.Reply reply = raw.read();
      assertThat(reply.closed()).as("%s answered %s", label, reply.text()).isTrue();
      assertThat(reply.closeCode()).isEqualTo(CLOSE_BAD_DATA);
    }
  }

  /** Invalid UTF-8 in a binary frame: refused like a text frame (1007), never stored with U+FFFD. */
  @Order(5)
  @ParameterizedTest(name = "binary frame {0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8InABinaryFrameClosesWith1007(String label, byte[] payload) throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
      raw.send(RawWebSocket.BINARY, payload);
      RawWebSocket.Reply reply = raw.read();
      assertThat(reply.closed()).as("%s answered %s", label, reply.text()).isTrue();
      assertThat(reply.closeCode()).isEqualTo(CLOSE_BAD_DATA);
    }
  }

  static Stream<Arguments> invalidUtf8() {
    String prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.history\",\"params\":{\"room\":\"";
    return Stream.of(
        Arguments.of("lone continuation byte", bytes(new byte[] {(byte) 0x80})),
        Arguments.of("truncated sequence", bytes(new byte[] {'[', (byte) 0xc3, ']'})),
        Arguments.of("overlong slash", bytes(new byte[] {(byte) 0xc0, (byte) 0xaf})),
        Arguments.of("encoded surrogate", concat(prefix, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}}")),
        Arguments.of("0xff in a room", concat(prefix, new byte[] {(byte) 0xff}, "\"}}")),
        Arguments.of("beyond U+10FFFF", concat(prefix, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80,
            (byte) 0x80}, "\"}}")));
  }

  private static byte[] bytes(byte[] b) {
    return b;
  }

  private static byte[] concat(String head, byte[] middle, String tail) {
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + middle.length + t.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(middle, 0, all, h.length, middle.length);
    System.arraycopy(t, 0, all, h.length + middle.length, t.length);
    return all;
  }

  /** After the whole corpus: a fresh connection is answered and the seeded room is untouched. */
  @Order(100)
  @Test
  void serverStillUpAndSeededHistoryUnchanged() {
    try (WsClient c = server.connect()) {
      assertThat(c.result("echo", "{\"alive\":true}").toString()).isEqualTo("{\"alive\":true}");
      JsonObject after = c.result("chat.history", "{\"room\":\"" + SEEDED + "\",\"limit\":500}");
      assertThat(after).isEqualTo(historyBefore);
    }
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }
}
