package io.parley.server.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare WebSocket client that completes the upgrade, may send text frames, and then reads
 * nothing and answers no ping: a peer that went silent without closing.
 */
final class SilentSocket implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final String head;

  private SilentSocket(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    head = readHead(socket.getInputStream());
  }

  /** Opens a connection and sends the upgrade; {@link #status()} tells how it was answered. */
  static SilentSocket open(int port) throws IOException {
    return new SilentSocket(port);
  }

  /** The status line of the upgrade's answer, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
  String status() {
    return head.substring(0, head.indexOf('\r'));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the upgrade");
      }
      bytes.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one small masked text frame (under 126 bytes). */
  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length >= 126) {
      throw new IllegalArgumentException("short frames only");
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    frame.write(0x80 | payload.length);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
