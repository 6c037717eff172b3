package io.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The WebSocket wire as the hand-written test clients speak it (RFC 6455): the upgrade request,
 * reading the answer's head, masked client frames, and server frames as they come. Stateless.
 */
public final class WsWire {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;
  /** The FIN bit of a frame's first byte. */
  public static final int FIN = 0x80;
  /** The RSV1 bit of a frame's first byte: "compressed" under permessage-deflate. */
  public static final int RSV1 = 0x40;

  private WsWire() {}

  /** One server frame: its first byte (FIN, RSV bits, opcode), its payload and its size on the wire. */
  public record Frame(int first, byte[] payload, long wireBytes) {
    public int opcode() {
      return first & 0x0f;
    }

    public boolean fin() {
      return (first & FIN) != 0;
    }

    /** A close frame's code (1005 when it carries none). */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /** The upgrade request for {@code /ws} on 127.0.0.1, with extra header lines (each ending in CRLF). */
  public static byte[] upgradeRequest(int port, String extraHeaders) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The answer's status line and headers, up to and with the empty line. */
  public static String readHead(InputStream in) throws IOException {
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

  /** One masked client frame: {@code first} (FIN, RSV bits, opcode), then the payload's length, mask and bytes. */
  public static byte[] clientFrame(int first, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(first);
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
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    return frame.toByteArray();
  }

  /** The next server frame (unmasked, as servers send them). */
  public static Frame read(DataInputStream in) throws IOException {
    int first = in.readUnsignedByte();
    long length = in.readUnsignedByte() & 0x7f;
    long wire = 2;
    if (length == 126) {
      length = in.readUnsignedShort();
      wire += 2;
    } else if (length == 127) {
      length = in.readLong();
      wire += 8;
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(first, payload, wire + length);
  }
}
