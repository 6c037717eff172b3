package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.junit.jupiter.api.Test;

class IncomingMessageTest {
  private static Frame frame(byte opCode, boolean fin, byte[] bytes) {
    return new Frame(opCode, fin, ByteBuffer.wrap(bytes));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneFinalFrameIsOneMessage() {
    IncomingMessage in = new IncomingMessage(100);
    assertThat(in.accept(frame(OpCode.TEXT, true, utf8("{\"a\":1}")))).isEqualTo("{\"a\":1}");
    assertThat(in.accept(frame(OpCode.TEXT, true, new byte[0]))).isEmpty();
  }

  @Test
  void fragmentsAreJoinedAcrossACharacterSplitBetweenThem() {
    IncomingMessage in = new IncomingMessage(100);
    byte[] whole = utf8("[\"é😀 ok\"]");
    assertThat(in.accept(frame(OpCode.TEXT, false, Arrays.copyOfRange(whole, 0, 4)))).isNull();
    assertThat(in.accept(frame(OpCode.CONTINUATION, false, Arrays.copyOfRange(whole, 4, 6)))).isNull();
    assertThat(in.accept(frame(OpCode.CONTINUATION, true, Arrays.copyOfRange(whole, 6, whole.length))))
        .isEqualTo("[\"é😀 ok\"]");
    assertThat(in.accept(frame(OpCode.TEXT, true, utf8("next")))).as("nothing left over").isEqualTo("next");
  }

  @Test
  void aBinaryMessageIsReadAsUtf8Text() {
    IncomingMessage in = new IncomingMessage(100);
    assertThat(in.accept(frame(OpCode.BINARY, false, utf8("{\"b\":")))).isNull();
    assertThat(in.accept(frame(OpCode.CONTINUATION, true, utf8("2}")))).isEqualTo("{\"b\":2}");
  }

  @Test
  void aMessageExactlyAtTheLimitPassesOneByteMoreFails() {
    IncomingMessage in = new IncomingMessage(10);
    assertThat(in.accept(frame(OpCode.TEXT, false, utf8("12345")))).isNull();
    assertThat(in.accept(frame(OpCode.CONTINUATION, true, utf8("67890")))).isEqualTo("1234567890");
    assertThat(in.accept(frame(OpCode.TEXT, false, utf8("123456")))).isNull();
    assertThatThrownBy(() -> in.accept(frame(OpCode.CONTINUATION, true, utf8("78901"))))
        .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("11 bytes, at most 10");
    assertThatThrownBy(() -> in.accept(frame(OpCode.TEXT, true, utf8("12345678901"))))
        .isInstanceOf(MessageTooLargeException.class);
  }

  @Test
  void invalidUtf8IsRefusedEvenWhenSplitOverFragments() {
    IncomingMessage in = new IncomingMessage(100);
    assertThat(in.accept(frame(OpCode.TEXT, false, new byte[] {'[', (byte) 0xc3}))).isNull();
    assertThatThrownBy(() -> in.accept(frame(OpCode.CONTINUATION, true, new byte[] {'x', ']'})))
        .isInstanceOf(BadPayloadException.class).hasMessageContaining("text is not valid UTF-8");
    assertThatThrownBy(() -> in.accept(frame(OpCode.BINARY, true, new byte[] {(byte) 0xff})))
        .isInstanceOf(BadPayloadException.class).hasMessageContaining("binary frame is not valid UTF-8");
  }

  @Test
  void aRealReplacementCharacterIsKept() {
    IncomingMessage in = new IncomingMessage(100);
    assertThat(in.accept(frame(OpCode.TEXT, true, utf8("[\"\uFFFD\"]")))).isEqualTo("[\"\uFFFD\"]");
  }

  @Test
  void aReadOnlyOrDirectPayloadIsDecodedToo() {
    IncomingMessage in = new IncomingMessage(100);
    ByteBuffer direct = ByteBuffer.allocateDirect(4).put(utf8("[1]x")).flip();
    direct.limit(3);
    assertThat(in.accept(new Frame(OpCode.TEXT, true, direct))).isEqualTo("[1]");
    assertThat(in.accept(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(utf8("[2]")).asReadOnlyBuffer())))
        .isEqualTo("[2]");
  }
}
