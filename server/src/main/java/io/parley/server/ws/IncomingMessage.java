package io.parley.server.ws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * Assembles one connection's data frames into whole messages and decodes them as UTF-8 JSON
 * text. Binary messages are read the same way (some clients send JSON so); what is not valid
 * UTF-8 is refused, never decoded with replacement characters.
 *
 * <p>A message of one frame, the usual case, is decoded straight from the frame's payload. Only
 * a fragmented message keeps bytes here between frames. Past the size limit a message fails with
 * {@link MessageTooLargeException} (Jetty closes with 1009); bad UTF-8 fails with
 * {@link BadPayloadException} (1007).
 *
 * <p>Not thread-safe: Jetty delivers one frame at a time per connection.
 */
final class IncomingMessage {
  private final long maxBytes;
  private byte opCode = OpCode.UNDEFINED;
  private byte[] pending;
  private int size;

  IncomingMessage(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes one TEXT, BINARY or CONTINUATION frame; answers the message text once its last frame
   * came, else {@code null}.
   *
   * @throws MessageTooLargeException past the size limit
   * @throws BadPayloadException when the bytes are not UTF-8
   */
  String accept(Frame frame) {
    ByteBuffer payload = frame.getPayload();
    int length = payload == null ? 0 : payload.remaining();
    if (frame.getOpCode() != OpCode.CONTINUATION) {
      opCode = frame.getOpCode();
      if (frame.isFin()) {
        check(length);
        return decode(payload, opCode);
      }
    }
    check((long) size + length);
    if (pending == null || pending.length < size + length) {
      long want = Math.max(pending == null ? 1024 : pending.length * 2L, (long) size + length);
      if (maxBytes > 0) {
        want = Math.min(want, maxBytes);
      }
      pending = pending == null ? new byte[(int) want] : Arrays.copyOf(pending, (int) want);
    }
    if (length > 0) {
      payload.get(pending, size, length);
      size += length;
    }
    if (!frame.isFin()) {
      return null;
    }
    String text = decode(ByteBuffer.wrap(pending, 0, size), opCode);
    pending = null;
    size = 0;
    return text;
  }

  private void check(long bytes) {
    if (maxBytes > 0 && bytes > maxBytes) {
      pending = null;
      size = 0;
      throw new MessageTooLargeException("message too large: " + bytes + " bytes, at most " + maxBytes);
    }
  }

  /**
   * Decodes with the JDK's fast path, which replaces bad sequences with U+FFFD; only a text that
   * then holds U+FFFD (rare: it may also have been sent as such) is decoded again, strictly.
   */
  private static String decode(ByteBuffer bytes, byte opCode) {
    if (bytes == null || !bytes.hasRemaining()) {
      return "";
    }
    String text;
    if (bytes.hasArray()) {
      text = new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(),
          StandardCharsets.UTF_8);
    } else {
      byte[] copy = new byte[bytes.remaining()];
      bytes.duplicate().get(copy);
      text = new String(copy, StandardCharsets.UTF_8);
    }
    if (text.indexOf('\uFFFD') >= 0) {
      try {
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(bytes.duplicate());
      } catch (CharacterCodingException e) {
        throw new BadPayloadException(opCode == OpCode.BINARY
            ? "binary frame is not valid UTF-8" : "text is not valid UTF-8");
      }
    }
    return text;
  }
}
