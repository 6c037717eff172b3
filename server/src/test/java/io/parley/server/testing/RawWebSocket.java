package io.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket written by hand on a plain socket, for what a well-behaved client library will not
 * do: any opcode and bytes (invalid UTF-8, binary), extra or odd upgrade headers, never reading or
 * answering pings, dropping the TCP connection without a close frame. Nothing runs in the
 * background; every read times out after 10 s.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  private static final int CLOSE = 0x8;

  /** What the server answered: a text message, or a close frame with its code. */
  public record Reply(String text, int closeCode) {
    public boolean closed() {
      return text == null;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String head;

  private long bytesRead;

  private RawWebSocket(InetAddress from, int port, String extraHeaders, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window starts small
    }
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    head = readHead();
  }

  /** Sends the upgrade (with these extra header lines, each ending in CRLF) whatever the answer. */
  public static RawWebSocket open(int port, String extraHeaders) throws IOException {
    return new RawWebSocket(null, port, extraHeaders, 0);
  }

  /** Connects to {@code /ws} on 127.0.0.1 and requires the upgrade to succeed. */
  public static RawWebSocket connect(int port) throws IOException {
    return connect(port, 0);
  }

  /**
   * Like {@link #connect(int)} with a TCP receive buffer of {@code receiveBuffer} bytes, so that
   * when this client stops reading the kernel holds little and the server does the holding.
   */
  public static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
    return connect(null, port, receiveBuffer);
  }

  /**
   * Like {@link #connect(int, int)} from the local address {@code from} (another loopback address
   * such as 127.0.0.2, so the server counts it as a client address of its own), or any when null.
   */
  public static RawWebSocket connect(InetAddress from, int port, int receiveBuffer) throws IOException {
    RawWebSocket raw = new RawWebSocket(from, port, "", receiveBuffer);
    if (!raw.status().startsWith("HTTP/1.1 101")) {
      raw.close();
      throw new IOException("upgrade refused: " + raw.status());
    }
    return raw;
  }

  /** The status line the server answers an upgrade with these extra headers. */
  public static String upgradeStatus(int port, String extraHeaders) throws IOException {
    try (RawWebSocket raw = open(port, extraHeaders)) {
      return raw.status();
    }
  }

  /** The status line of the upgrade's answer, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
  public String status() {
    return head.substring(0, head.indexOf('\r'));
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] end = {'\r', '\n', '\r', '\n'};
    int matched = 0;
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

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one final, masked frame with this opcode and payload. */
  public void send(int opcode, byte[] payload) throws IOException {
    send(opcode, payload, true);
  }

  /**
   * Sends one masked frame; {@code fin} false makes it a fragment, to be followed by frames with
   * opcode {@link #CONTINUATION}, the last of them final.
   */
  public void send(int opcode, byte[] payload, boolean fin) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
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

  /**
   * Starts a final frame that announces {@code length} payload bytes but sends only
   * {@code firstBytes} of it (with an all-zero mask, so they go as they are): for limits a server
   * applies before the frame is complete.
   */
  public void sendFrameStart(int opcode, long length, byte[] firstBytes) throws IOException {
    ByteArrayOutputStream start = new ByteArrayOutputStream(14 + firstBytes.length);
    start.write(0x80 | opcode);
    start.write(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      start.write((int) (length >>> shift) & 0xff);
    }
    start.write(new byte[4]);
    start.write(firstBytes);
    out.write(start.toByteArray());
    out.flush();
  }

  /** The next whole text message (continuations joined), or the close frame's code (1005 if none). */
  public Reply read() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      bytesRead += 2;
      if (length == 126) {
        length = in.readUnsignedShort();
        bytesRead += 2;
      } else if (length == 127) {
        length = in.readLong();
        bytesRead += 8;
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      bytesRead += length;
      int opcode = first & 0x0f;
      if (opcode == CLOSE) {
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        return new Reply(null, code);
      }
      if (opcode == TEXT || opcode == 0x0) {
        message.write(payload);
        if ((first & 0x80) != 0) {
          return new Reply(message.toString(StandardCharsets.UTF_8), 0);
        }
      }
    }
  }

  /** Bytes of WebSocket frames (headers and payloads) read so far, after the upgrade. */
  public long bytesRead() {
    return bytesRead;
  }

  /** The next text message; fails if the server closes instead. */
  public String readText() throws IOException {
    Reply reply = read();
    if (reply.closed()) {
      throw new IOException("the server closed the connection with " + reply.closeCode());
    }
    return reply.text();
  }

  /** Drops the TCP connection at once: no close frame, a reset instead of a goodbye. */
  public void drop() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
