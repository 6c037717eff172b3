package io.parley.server.hostile;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare WebSocket client on a plain TCP socket that sends frames with any opcode and any bytes
 * (invalid UTF-8 in a text frame, which the JDK client cannot send) and reports what came back:
 * a text message or the close code. Every read times out.
 */
final class RawFrames implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;

  /** What the server answered: a text message, or a close frame with its code. */
  record Reply(String text, int closeCode) {
    boolean closed() {
      return text == null;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawFrames(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code /ws} on 127.0.0.1 and completes the upgrade. */
  static RawFrames connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    RawFrames raw = new RawFrames(socket);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    raw.out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
    raw.out.flush();
    String head = raw.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      raw.close();
      throw new IOException("upgrade refused: " + head);
    }
    return raw;
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

  /** Sends one final, masked frame with this opcode and payload (under 64 KiB). */
  void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 8);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
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

  /** The next text message, or the close frame's code (1005 when it carries none). */
  Reply read() throws IOException {
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
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        return new Reply(null, code);
      }
      if (opcode == 0x1 || opcode == 0x0) {
        message.write(payload);
        if ((first & 0x80) != 0) {
          return new Reply(message.toString(StandardCharsets.UTF_8), 0);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
