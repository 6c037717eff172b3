package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.TOO_LARGE;
import static io.parley.server.e2e.Wire.assertError;
import static io.parley.server.e2e.Wire.exchange;
import static io.parley.server.e2e.Wire.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The 64 KiB frame and message limit (close 1009 past it), large frames under it, fragments. */
@Timeout(60)
class FrameLimitsTest {
  private static final int MAX_FRAME = 65536;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An echo request of exactly {@code bytes} bytes of UTF-8, padded with one long string. */
  private static String echoFrame(String id, int bytes) {
    String head = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"echo\",\"params\":[\"";
    String tail = "\"]}";
    String frame = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    return frame;
  }

  private static String padding(String frame) {
    return frame.substring(frame.indexOf("[\"") + 2, frame.length() - 3);
  }

  @Test
  void aFrameOverTheLimitClosesWith1009() {
    try (WsClient c = server.connect()) {
      c.send(echoFrame("1", MAX_FRAME + 1));
      assertThat(c.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void aMuchLargerFrameClosesWith1009BeforeItIsComplete() throws IOException {
    // Announce 300 KB but send only one byte past the limit: a client still writing when the
    // close comes may see its own write fail first (the JDK client then reports that, not the
    // close), and bytes the server never reads would turn its close into a reset.
    try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
      byte[] pastTheLimit = new byte[MAX_FRAME + 1];
      Arrays.fill(pastTheLimit, (byte) 'x');
      raw.sendFrameStart(RawWebSocket.TEXT, 300_000, pastTheLimit);
      assertThat(raw.read().closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void aFrameOfExactlyTheLimitIsServed() {
    try (WsClient c = server.connect()) {
      String frame = echoFrame("\"max\"", MAX_FRAME);
      JsonObject reply = object(exchange(c, frame));
      assertThat(reply.get("id").getAsString()).isEqualTo("max");
      assertThat(reply.getAsJsonArray("result").get(0).getAsString()).isEqualTo(padding(frame));
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void aSixtyKilobyteFrameWithATextUnderTheLimitWorks() {
    try (WsClient c = server.connect()) {
      String frame = echoFrame("\"big\"", 60 * 1024);
      JsonObject reply = object(exchange(c, frame));
      assertThat(reply.get("id").getAsString()).isEqualTo("big");
      assertThat(reply.getAsJsonArray("result").get(0).getAsString()).isEqualTo(padding(frame));
      c.result("room.join", "{\"room\":\"big-frames\"}");
      String text = "😀".repeat(4096);
      JsonObject sent = c.result("chat.send", "{\"room\":\"big-frames\",\"text\":\"" + text + "\"}");
      assertThat(sent.get("text").getAsString()).isEqualTo(text);
    }
  }

  @Test
  void aTextOverTheLimitInAFrameUnderTheLimitIsTooLargeAndTheSocketStaysOpen() {
    try (WsClient c = server.connect()) {
      c.result("room.join", "{\"room\":\"big-text\"}");
      assertError(c.call("chat.send", "{\"room\":\"big-text\",\"text\":\"" + "y".repeat(50_000) + "\"}"), TOO_LARGE);
      assertError(c.call("broadcast", "{\"text\":\"" + "y".repeat(4097) + "\"}"), TOO_LARGE);
      assertThat(c.result("echo", "{\"alive\":true}").toString()).isEqualTo("{\"alive\":true}");
    }
  }

  @Test
  void aMessageInFragmentsIsJoinedEvenWhereACharacterIsSplit() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
      byte[] whole = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[\"é😀\"]}"
          .getBytes(StandardCharsets.UTF_8);
      int split = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[\"é".length() + 2; // inside the emoji
      raw.send(RawWebSocket.TEXT, Arrays.copyOfRange(whole, 0, 10), false);
      raw.send(RawWebSocket.CONTINUATION, Arrays.copyOfRange(whole, 10, split), false);
      raw.send(RawWebSocket.CONTINUATION, Arrays.copyOfRange(whole, split, whole.length), true);
      JsonObject reply = object(raw.read().text());
      assertThat(reply.get("id").getAsInt()).isEqualTo(7);
      assertThat(reply.getAsJsonArray("result").get(0).getAsString()).isEqualTo("é😀");
    }
  }

  @Test
  void fragmentsTogetherOverTheLimitCloseWith1009() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
      byte[] half = new byte[MAX_FRAME / 2 + 1];
      Arrays.fill(half, (byte) 'x');
      raw.send(RawWebSocket.TEXT, half, false);
      raw.send(RawWebSocket.CONTINUATION, half, true);
      assertThat(raw.read().closeCode()).isEqualTo(1009);
    }
  }
}
