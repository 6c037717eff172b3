package io.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket written by hand on a plain socket, for what a well-behaved client library will not
 * do: any opcode and bytes (invalid UTF-8, binary), extra or odd upgrade headers, never reading or
 * answering pings, dropping the TCP connection without a close frame. Nothing runs in the
 * background; every read times out after 10 s.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = WsWire.CONTINUATION;
  public static final int TEXT = WsWire.TEXT;
  public static final int BINARY = 0x2;

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
    out.write(WsWire.upgradeRequest(port, extraHeaders));
    out.flush();
    head = WsWire.readHead(in);
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
    out.write(WsWire.clientFrame((fin ? WsWire.FIN : 0) | opcode, payload));
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
      WsWire.Frame frame = WsWire.read(in);
      bytesRead += frame.wireBytes();
      if (frame.opcode() == WsWire.CLOSE) {
        return new Reply(null, frame.closeCode());
      }
      if (frame.opcode() == TEXT || frame.opcode() == CONTINUATION) {
        message.writeBytes(frame.payload());
        if (frame.fin()) {
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
