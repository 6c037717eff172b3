package io.parley.server.ws;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Server-Sent Events wire format (the HTML standard's {@code text/event-stream}): an event is
 * {@code id:}, {@code event:} and {@code data:} lines ended by a blank line; a line starting with a
 * colon is a comment. JSON text from the codec holds no raw line breaks (they are escaped inside
 * strings), so one {@code data:} line carries a whole JSON-RPC message.
 */
final class SseEvents {
  /** What keeps a quiet stream (and the proxies on its way) from timing out. */
  static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  private SseEvents() {}

  /** One event: {@code id} and {@code name} may be {@code null} (the default {@code message} event). */
  static byte[] event(String id, String name, ByteBuffer data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.remaining() + 64);
    if (id != null) {
      line(out, "id: " + id);
    }
    if (name != null) {
      line(out, "event: " + name);
    }
    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    for (byte b : bytes) {
      // A stray line break would end the data line early; the codec never writes one, so this
      // only guards the format against a caller's mistake.
      out.write(b == '\n' || b == '\r' ? ' ' : b);
    }
    out.write('\n');
    out.write('\n');
    return out.toByteArray();
  }

  /** One event whose data is {@code json}. */
  static byte[] event(String name, String json) {
    return event(null, name, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static void line(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }
}
