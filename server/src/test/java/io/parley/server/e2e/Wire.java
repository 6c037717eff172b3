package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The wire contract as the end-to-end tests see it: its error codes and timestamp form written out
 * as literals (not taken from the code under test), raw request builders, error assertions, and a
 * probe that proves something did <em>not</em> arrive without sleeping.
 */
final class Wire {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int FORBIDDEN = -32002;
  static final int TOO_LARGE = -32004;

  /** RFC 3339 UTC with exactly three fraction digits, as the contract writes {@code ts}. */
  static final Pattern TS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

  private static final AtomicLong MARKERS = new AtomicLong();

  private Wire() {}

  /** A request frame with a raw id token and raw params (null: no params member). */
  static String request(String rawId, String method, String rawParams) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + rawId + ",\"method\":\"" + method + "\""
        + (rawParams == null ? "" : ",\"params\":" + rawParams) + "}";
  }

  /** A notification frame (no id) with raw params. */
  static String notification(String method, String rawParams) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\""
        + (rawParams == null ? "" : ",\"params\":" + rawParams) + "}";
  }

  static JsonElement parse(String raw) {
    return JsonParser.parseString(raw);
  }

  static JsonObject object(String raw) {
    JsonElement e = parse(raw);
    assertThat(e.isJsonObject()).as("expected one JSON object, got %s", raw).isTrue();
    return e.getAsJsonObject();
  }

  /** Sends a raw frame on a client with nothing else in flight and returns the next frame. */
  static String exchange(WsClient client, String frame) {
    client.send(frame);
    return client.nextRaw();
  }

  /** Asserts a JSON-RPC error response with this code and returns its error object. */
  static JsonObject assertError(JsonObject response, int code) {
    assertThat(response.has("result")).as("no result expected in %s", response).isFalse();
    assertThat(response.has("error")).as("an error expected in %s", response).isTrue();
    JsonObject error = response.getAsJsonObject("error");
    assertThat(error.get("code").getAsInt()).as("error code of %s", response).isEqualTo(code);
    assertThat(error.get("message").getAsJsonPrimitive().isString()).isTrue();
    assertThat(error.toString()).doesNotContain("Exception").doesNotContain("at io.");
    assertThat(response.get("jsonrpc").getAsString()).isEqualTo("2.0");
    return error;
  }

  /** Asserts {@code -32602} whose {@code error.data.field} names {@code field}. */
  static void assertInvalidParams(JsonObject response, String field) {
    JsonObject error = assertError(response, INVALID_PARAMS);
    assertThat(error.has("data") && error.get("data").isJsonObject())
        .as("error.data expected in %s", response).isTrue();
    assertThat(error.getAsJsonObject("data").get("field").getAsString()).isEqualTo(field);
  }

  /** Asserts a stored Message as the contract shapes it. */
  static void assertMessage(JsonObject m, String room, long seq, String from, String text) {
    assertThat(m.get("room").getAsString()).isEqualTo(room);
    assertThat(m.get("seq").getAsLong()).isEqualTo(seq);
    assertThat(m.get("from").getAsString()).isEqualTo(from);
    assertThat(m.get("text").getAsString()).isEqualTo(text);
    assertThat(m.get("ts").getAsString()).matches(TS);
  }

  /**
   * Waits until the server delivers this room's notifications to the member directly. A join
   * result can reach the client before the server switches the member to live delivery (presence
   * notifications of that window are not held, see {@code PresenceAfterJoinTest}); chat messages of
   * that window are held and released at the switch, so receiving its own message proves the switch
   * happened. Tests that are not about that window use this to stay deterministic. Other members
   * receive the message too.
   */
  static void awaitLive(WsClient member, String room) {
    String text = "live-" + MARKERS.incrementAndGet();
    JsonObject params = new JsonObject();
    params.addProperty("room", room);
    params.addProperty("text", text);
    member.result("chat.send", params);
    member.await(o -> o.has("method") && "chat.message".equals(o.get("method").getAsString())
        && text.equals(o.getAsJsonObject("params").get("text").getAsString()));
  }

  /**
   * Every frame the client has received but not consumed, up to the answer of a marker echo sent
   * now. The server queues that answer behind whatever it had already queued for the session, so
   * a notification that was due before the marker is in the returned list; one that is not there
   * was never sent. Frames recorded by earlier waits are checked first.
   */
  static List<JsonElement> framesBeforeMarker(WsClient client, String... methods) {
    for (String method : methods) {
      assertThat(client.hasPending(method)).as("a recorded %s notification", method).isFalse();
    }
    String marker = "marker-" + MARKERS.incrementAndGet();
    client.send(request("\"" + marker + "\"", "echo", "[\"" + marker + "\"]"));
    List<JsonElement> before = new ArrayList<>();
    while (true) {
      JsonElement frame = parse(client.nextRaw());
      if (frame.isJsonObject() && frame.getAsJsonObject().has("id")
          && frame.getAsJsonObject().get("id").toString().equals("\"" + marker + "\"")) {
        return before;
      }
      before.add(frame);
    }
  }

  /** Asserts that no notification with any of these methods reached the client. */
  static void assertNoNotification(WsClient client, String... methods) {
    List<JsonElement> frames = framesBeforeMarker(client, methods);
    for (JsonElement frame : frames) {
      if (frame.isJsonObject() && frame.getAsJsonObject().has("method")) {
        assertThat(frame.getAsJsonObject().get("method").getAsString())
            .as("unexpected notification %s", frame).isNotIn((Object[]) methods);
      }
    }
  }

  /** Asserts the client received nothing at all (not even a reply) before a marker answer. */
  static void assertNothingArrived(WsClient client) {
    assertThat(framesBeforeMarker(client)).as("frames before the marker").isEmpty();
  }
}
