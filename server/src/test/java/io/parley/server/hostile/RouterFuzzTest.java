package io.parley.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the server's JSON-RPC routing: each input becomes a request to one of the contract's
 * methods (or a reserved or unknown name) with fuzzed params, sent over a real WebSocket; every
 * reply must be a valid JSON-RPC response with no stack trace and no internal error. Without
 * {@code JAZZER_FUZZ} only the seed inputs under
 * {@code src/test/resources/io/parley/server/hostile/RouterFuzzTestInputs/} run.
 */
@Timeout(180)
class RouterFuzzTest {
  private static final List<String> METHODS = List.of("echo", "session.hello", "room.join", "room.leave",
      "room.members", "chat.send", "chat.history", "broadcast", "rpc.discover", "rpc.other", "no.such");
  private static final List<String> FIELDS = List.of("room", "since", "text", "clientId", "before", "after",
      "limit", "name", "token", "extra");
  private static final List<Integer> CODES = List.of(-32700, -32600, -32601, -32602, -32001, -32002, -32003,
      -32004, -32005);
  private static final AtomicLong IDS = new AtomicLong();

  private static TestServer server;
  private static WsClient client;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
    client = connected();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  private static WsClient connected() {
    WsClient c = server.connect();
    c.result("room.join", "{\"room\":\"fuzz\"}");
    return c;
  }

  @FuzzTest(maxDuration = "60s")
  void everyReplyIsValidJsonRpc(FuzzedDataProvider data) {
    if (client.isClosed()) {
      client = connected();
    }
    String id = "fz-" + IDS.incrementAndGet();
    JsonObject request = new JsonObject();
    request.addProperty("jsonrpc", data.consumeBoolean() ? "2.0" : data.consumeString(4));
    request.addProperty("id", id);
    request.addProperty("method", data.consumeBoolean() ? data.pickValue(METHODS) : data.consumeString(20));
    switch (data.consumeInt(0, 3)) {
      case 0 -> { }
      case 1 -> request.add("params", object(data, 0));
      case 2 -> request.add("params", array(data, 0));
      default -> request.add("params", value(data, 3));
    }
    String frame = request.toString();
    client.send(frame);
    JsonObject reply = client.await(o -> !o.has("method") && (id.equals(idOf(o)) || (o.has("id") && o.get("id").isJsonNull())));
    String raw = reply.toString();
    // Error messages quote the offending value, so look for the shapes of a stack trace, not words.
    assertThat(raw).as(frame).doesNotContainPattern("at [\\w.$]+\\([\\w$]+\\.java:\\d+\\)")
        .doesNotContain("java.lang.").doesNotContain("io.parley.server.");
    assertThat(reply.get("jsonrpc")).as(raw).isEqualTo(new JsonPrimitive("2.0"));
    assertThat(reply.has("result") ^ reply.has("error")).as(raw).isTrue();
    if (reply.has("error")) {
      JsonObject error = reply.getAsJsonObject("error");
      assertThat(error.get("message").getAsJsonPrimitive().isString()).as(raw).isTrue();
      assertThat(error.get("code").getAsInt()).as("%s -> %s", frame, raw).isIn(CODES);
    }
  }

  private static String idOf(JsonObject o) {
    JsonElement id = o.get("id");
    return id != null && id.isJsonPrimitive() ? id.getAsString() : null;
  }

  private static JsonObject object(FuzzedDataProvider data, int depth) {
    JsonObject o = new JsonObject();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      String field = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(8);
      o.add(field, field.equals("room") && data.consumeBoolean() ? new JsonPrimitive("fuzz") : value(data, depth + 1));
    }
    return o;
  }

  private static JsonArray array(FuzzedDataProvider data, int depth) {
    JsonArray a = new JsonArray();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      a.add(value(data, depth + 1));
    }
    return a;
  }

  private static JsonElement value(FuzzedDataProvider data, int depth) {
    switch (data.consumeInt(0, depth >= 3 ? 4 : 6)) {
      case 0: return new JsonPrimitive(data.consumeString(40));
      case 1: return new JsonPrimitive(data.consumeLong());
      case 2: return new JsonPrimitive(data.consumeBoolean());
      case 3: return JsonNull.INSTANCE;
      case 4: return JsonParser.parseString("1" + "0".repeat(data.consumeInt(0, 400)));
      case 5: return array(data, depth);
      default: return object(data, depth);
    }
  }
}
