package io.parley.server.compression;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frame limit ({@code PARLEY_MAX_FRAME}, 64 KiB by default) applies to the inflated message:
 * a compressed frame well under the limit that inflates past it (a decompression bomb) is closed
 * with 1009, in one frame or spread over fragments, while a message that inflates to exactly the
 * limit is served. Jetty inflates in pieces of at most 8 KiB and Parley stops collecting them at
 * the limit, so a bomb costs the server 64 KiB, not what it would inflate to; {@code
 * CompressionBombIT} checks that on a process with a small heap.
 */
@Timeout(60)
class CompressionBombTest {
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

  /** {@code bytes} zeros deflated as one message: about a thousandth of their size. */
  static byte[] bomb(int bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      return DeflateSocket.deflate(deflater, new byte[bytes], Deflater.SYNC_FLUSH, true);
    } finally {
      deflater.end();
    }
  }

  private static void assertOthersAreServed() {
    try (WsClient other = server.connect()) {
      assertThat(other.result("echo", "{\"after\":\"bomb\"}").toString()).isEqualTo("{\"after\":\"bomb\"}");
    }
  }

  @Test
  void aFrameUnderTheLimitInflatingTo60MegabytesIsClosedWith1009() throws IOException {
    byte[] bomb = bomb(60 * 1024 * 1024);
    assertThat(bomb.length).as("compressed size: the frame itself is within the limit").isLessThan(MAX_FRAME);
    try (DeflateSocket raw = new DeflateSocket(server.port(), "permessage-deflate")) {
      assertThat(raw.header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
      raw.send(DeflateSocket.TEXT, true, true, bomb);
      assertThat(raw.read().closeCode()).isEqualTo(1009);
    }
    assertOthersAreServed();
  }

  @Test
  void fragmentsEachUnderTheLimitAreCountedTogether() throws IOException {
    // One compressed stream cut into frames: 40 KB of zeros, then 40 KB more (RSV1 on the first only).
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try (DeflateSocket raw = new DeflateSocket(server.port(), "permessage-deflate")) {
      raw.send(DeflateSocket.TEXT, true, false,
          DeflateSocket.deflate(deflater, new byte[40_000], Deflater.SYNC_FLUSH, false));
      raw.send(DeflateSocket.CONTINUATION, false, true,
          DeflateSocket.deflate(deflater, new byte[40_000], Deflater.SYNC_FLUSH, true));
      assertThat(raw.read().closeCode()).isEqualTo(1009);
    } finally {
      deflater.end();
    }
    assertOthersAreServed();
  }

  @Test
  void aMessageInflatingToExactlyTheLimitIsServedAndCostsAFractionOnTheWire() throws IOException {
    String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"";
    String tail = "\"]}";
    String request = head + "x".repeat(MAX_FRAME - head.length() - tail.length()) + tail;
    assertThat(request.getBytes(StandardCharsets.UTF_8)).hasSize(MAX_FRAME);
    try (DeflateSocket raw = new DeflateSocket(server.port(), "permessage-deflate")) {
      byte[] compressed = raw.compress(request.getBytes(StandardCharsets.UTF_8));
      raw.send(DeflateSocket.TEXT, true, true, compressed);
      DeflateSocket.Message reply = raw.read();
      assertThat(reply.compressed()).isTrue();
      String echoed = JsonParser.parseString(reply.text()).getAsJsonObject().getAsJsonArray("result").get(0)
          .getAsString();
      assertThat(echoed).hasSize(MAX_FRAME - head.length() - tail.length());
      assertThat(raw.wireBytesRead()).isLessThan(MAX_FRAME / 10);
      // One byte more, however small compressed, is one byte too many.
      byte[] over = raw.compress((head + "x".repeat(MAX_FRAME + 1 - head.length() - tail.length()) + tail)
          .getBytes(StandardCharsets.UTF_8));
      assertThat(over.length).isLessThan(1024);
      raw.send(DeflateSocket.TEXT, true, true, over);
      assertThat(raw.read().closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void aCompressedFrameThatDoesNotInflateIsClosedAsBadData() throws IOException {
    try (DeflateSocket raw = new DeflateSocket(server.port(), "permessage-deflate")) {
      byte[] garbage = new byte[64];
      Arrays.fill(garbage, (byte) 0xff); // block type 11: reserved, an error in every deflate stream
      raw.send(DeflateSocket.TEXT, true, true, garbage);
      int code = raw.read().closeCode();
      assertThat(code).isEqualTo(1007);
    }
    assertOthersAreServed();
  }
}
