package io.parley.server.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare WebSocket client on a plain TCP socket, for what the JDK client cannot do: vanish without
 * a close frame (a dropped connection). Text frames only; every read times out.
 */
final class RawSocket implements AutoCloseable {
  private static final int TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code /ws} on 127.0.0.1 and completes the upgrade. */
  static RawSocket connect(int port) throws IOException {
    RawSocket raw = open(port);
    String head = raw.upgrade(port, "");
    if (!head.startsWith("HTTP/1.1 101")) {
      raw.close();
      throw new IOException("upgrade refused: " + head);
    }
    return raw;
  }

  /** Sends an upgrade request with these extra header lines and returns the status line of the answer. */
  static String upgradeStatus(int port, String extraHeaders) throws IOException {
    try (RawSocket raw = open(port)) {
      String head = raw.upgrade(port, extraHeaders);
      return head.substring(0, head.indexOf('\r'));
    }
  }

  private static RawSocket open(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(TIMEOUT_MS);
    return new RawSocket(socket);
  }

  private String upgrade(int port, String extraHeaders) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readHead();
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the upgrade");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text frame. */
  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** The next whole text message from the server (continuation frames joined). */
  String readText() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      int opcode = first & 0x0f;
      if (opcode == 0x8) {
        throw new IOException("the server closed the connection");
      }
      if (opcode == 0x1 || opcode == 0x0) {
        message.write(payload);
        if ((first & 0x80) != 0) {
          return message.toString(StandardCharsets.UTF_8);
        }
      }
    }
  }

  /** Drops the TCP connection at once: no close frame, a reset instead of a goodbye. */
  void drop() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
