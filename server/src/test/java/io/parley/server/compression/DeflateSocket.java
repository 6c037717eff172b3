package io.parley.server.compression;

import io.parley.server.testing.WsWire;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client written by hand that speaks permessage-deflate (RFC 7692) itself: it offers
 * the extension (or whatever header value a test gives), shows the 101's headers, sends frames
 * with any RSV1 bit and any payload (a compressed bomb among them), and inflates the server's
 * compressed messages with one inflater for the connection (context takeover, as negotiated by
 * default). Nothing runs in the background; every read times out after 10 s.
 */
final class DeflateSocket implements AutoCloseable {
  static final int CONTINUATION = WsWire.CONTINUATION;
  static final int TEXT = WsWire.TEXT;
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  /** A message from the server: its text and whether it came compressed, or a close code. */
  record Message(String text, boolean compressed, int closeCode) {
    boolean closed() {
      return text == null;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final Inflater inflater = new Inflater(true);
  private final boolean clientNoContextTakeover;
  private long wireBytesRead;
  private long wireBytesWritten;

  /** Upgrades {@code /ws} on 127.0.0.1 offering {@code extensions} (no header when {@code null}). */
  DeflateSocket(int port, String extensions) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write(WsWire.upgradeRequest(port,
        extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n"));
    out.flush();
    String[] lines = WsWire.readHead(in).split("\r\n");
    status = lines[0];
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    String accepted = header("Sec-WebSocket-Extensions");
    clientNoContextTakeover = accepted != null && accepted.contains("client_no_context_takeover");
  }

  String status() {
    return status;
  }

  /** A header of the upgrade's answer (name in any case), or {@code null}. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Sends {@code text} as one compressed text frame (RSV1 set), through this connection's deflater. */
  void sendCompressed(String text) throws IOException {
    send(TEXT, true, true, compress(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Sends {@code text} as one plain text frame (RSV1 clear): allowed with the extension too. */
  void sendPlain(String text) throws IOException {
    send(TEXT, false, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deflates one message with this connection's deflater, flushed and without the trailing
   * 00 00 ff ff (RFC 7692 7.2.1); with {@code client_no_context_takeover} accepted, each message
   * starts afresh.
   */
  byte[] compress(byte[] data) {
    byte[] compressed = deflate(deflater, data, Deflater.SYNC_FLUSH, true);
    if (clientNoContextTakeover) {
      deflater.reset();
    }
    return compressed;
  }

  /**
   * Deflates {@code data} with {@code deflater}: {@code SYNC_FLUSH} ends the block on a byte
   * boundary; {@code stripTail} drops the 00 00 ff ff that a message's last frame leaves out.
   */
  static byte[] deflate(Deflater deflater, byte[] data, int flush, boolean stripTail) {
    deflater.setInput(data);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    while (true) {
      int n = deflater.deflate(chunk, 0, chunk.length, flush);
      compressed.write(chunk, 0, n);
      if (n < chunk.length && deflater.needsInput() || n == 0) {
        break;
      }
    }
    byte[] bytes = compressed.toByteArray();
    if (stripTail && bytes.length >= 4 && Arrays.equals(bytes, bytes.length - 4, bytes.length, TAIL, 0, 4)) {
      bytes = Arrays.copyOf(bytes, bytes.length - 4);
    }
    return bytes;
  }

  /** Sends one masked frame: any opcode, FIN and RSV1 bits, any payload. */
  void send(int opcode, boolean rsv1, boolean fin, byte[] payload) throws IOException {
    byte[] frame = WsWire.clientFrame((fin ? WsWire.FIN : 0) | (rsv1 ? WsWire.RSV1 : 0) | opcode, payload);
    out.write(frame);
    out.flush();
    wireBytesWritten += frame.length;
  }

  /** The next whole message, inflated if its first frame had RSV1, or the close frame's code. */
  Message read() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    boolean compressed = false;
    boolean first = true;
    while (true) {
      WsWire.Frame frame = WsWire.read(in);
      wireBytesRead += frame.wireBytes();
      if (frame.opcode() == WsWire.CLOSE) {
        return new Message(null, false, frame.closeCode());
      }
      if (frame.opcode() != TEXT && frame.opcode() != CONTINUATION) {
        continue; // pings and pongs
      }
      if (first) {
        compressed = (frame.first() & WsWire.RSV1) != 0;
        first = false;
      }
      message.writeBytes(frame.payload());
      if (frame.fin()) {
        byte[] bytes = compressed ? inflate(message.toByteArray()) : message.toByteArray();
        return new Message(new String(bytes, StandardCharsets.UTF_8), compressed, 0);
      }
    }
  }

  /** The next message's text; fails on a close. */
  String readText() throws IOException {
    Message m = read();
    if (m.closed()) {
      throw new IOException("the server closed the connection with " + m.closeCode());
    }
    return m.text();
  }

  private byte[] inflate(byte[] compressed) throws IOException {
    byte[] input = Arrays.copyOf(compressed, compressed.length + TAIL.length);
    System.arraycopy(TAIL, 0, input, compressed.length, TAIL.length);
    inflater.setInput(input);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      while (true) {
        int n = inflater.inflate(chunk);
        plain.write(chunk, 0, n);
        if (n < chunk.length && inflater.needsInput() || n == 0) {
          break;
        }
      }
    } catch (DataFormatException e) {
      throw new IOException("the server's compressed message does not inflate", e);
    }
    return plain.toByteArray();
  }

  /** Bytes of WebSocket frames read so far (headers and payloads, as they came over the wire). */
  long wireBytesRead() {
    return wireBytesRead;
  }

  /** Bytes of WebSocket frames written so far (headers, masks and payloads). */
  long wireBytesWritten() {
    return wireBytesWritten;
  }

  @Override
  public void close() throws IOException {
    deflater.end();
    inflater.end();
    socket.close();
  }
}
