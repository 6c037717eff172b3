package io.parley.server.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of one outgoing WebSocket text frame, encoded to UTF-8 once.
 *
 * <p>Why it exists: a room message goes to every member, and encoding the same JSON text once
 * per member was a measurable part of the fan-out cost. Every member's write gets its own
 * {@link #payload() view} of the same read-only bytes, so nothing is copied per member.
 *
 * <p>Immutable and thread-safe.
 */
public final class TextFrame {
  private final ByteBuffer utf8;

  private TextFrame(byte[] utf8) {
    this.utf8 = ByteBuffer.wrap(utf8).asReadOnlyBuffer();
  }

  /** Encodes a JSON text (already serialised) once. */
  public static TextFrame of(String json) {
    return new TextFrame(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh read-only view of the bytes, positioned at the start: one per write. */
  public ByteBuffer payload() {
    return utf8.duplicate();
  }

  /** Length in bytes of the UTF-8 text. */
  public int size() {
    return utf8.remaining();
  }

  @Override
  public String toString() {
    return StandardCharsets.UTF_8.decode(payload()).toString();
  }
}
