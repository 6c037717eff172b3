package io.parley.server.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of one outgoing text frame, encoded to UTF-8 once.
 *
 * <p>Why it exists: a room message goes to every member, and encoding the same JSON text once
 * per member was a measurable part of the fan-out cost. Every member's write gets its own
 * {@link #payload() view} of the same read-only bytes, so nothing is copied per member. Members
 * over Server-Sent Events share the frame's {@linkplain #event() event form} the same way.
 *
 * <p>Immutable and thread-safe (the event form is made at most a few times under a race, each
 * time the same).
 */
public final class TextFrame {
  private final ByteBuffer utf8;
  /** The event id of a stream event carrying this frame ({@code room:seq}), or {@code null}. */
  private final String eventId;
  private volatile ByteBuffer event;

  private TextFrame(byte[] utf8, String eventId) {
    this.utf8 = ByteBuffer.wrap(utf8).asReadOnlyBuffer();
    this.eventId = eventId;
  }

  /** Encodes a JSON text (already serialised) once. */
  public static TextFrame of(String json) {
    return new TextFrame(json.getBytes(StandardCharsets.UTF_8), null);
  }

  /** A {@code chat.message} notification: over an event stream its event id is {@code room:seq}. */
  public static TextFrame message(String json, String room, long seq) {
    return new TextFrame(json.getBytes(StandardCharsets.UTF_8), room + ":" + seq);
  }

  /** A fresh read-only view of the bytes, positioned at the start: one per write. */
  public ByteBuffer payload() {
    return utf8.duplicate();
  }

  /** Length in bytes of the UTF-8 text. */
  public int size() {
    return utf8.remaining();
  }

  /** A fresh read-only view of the frame as one Server-Sent Event, made on first use. */
  ByteBuffer event() {
    ByteBuffer made = event;
    if (made == null) {
      made = ByteBuffer.wrap(SseEvents.event(eventId, null, payload())).asReadOnlyBuffer();
      event = made;
    }
    return made.duplicate();
  }

  @Override
  public String toString() {
    return StandardCharsets.UTF_8.decode(payload()).toString();
  }
}
