package io.parley.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body up to a limit, as strict UTF-8. Handlers run on Jetty's pooled threads
 * (not its selectors), where a blocking read of at most one frame's worth of bytes is acceptable.
 */
final class BodyReader {

  /** The body was larger than allowed. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("the body is larger than " + limit + " bytes", null, false, false);
    }
  }

  /**
   * How much of an oversized body is still read and thrown away before answering 413. Closing
   * while the client is still sending makes its TCP stack reset the connection and lose our
   * answer (RFC 9112 section 9.6: a server should drain before it closes); past this much the
   * client has lost its answer for the sake of our memory and bandwidth.
   */
  private static final int DRAIN_LIMIT = 4 * 1024 * 1024;

  private BodyReader() {}

  static String read(Request request, int limit) throws IOException, TooLarge {
    long declared = request.getLength();
    if (declared > DRAIN_LIMIT) {
      throw new TooLarge(limit);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, limit)));
    byte[] chunk = new byte[8192];
    try (InputStream in = Request.asInputStream(request)) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > limit) {
          drain(in, chunk, out.size() + n);
          throw new TooLarge(limit);
        }
        out.write(chunk, 0, n);
      }
    }
    return utf8(out.toByteArray());
  }

  /**
   * Reads and throws away the body of a request that is refused before its body matters (401,
   * 404, 405): answering without reading it makes the connection reset under a client that is
   * still sending or reuses it, and the answer is lost.
   */
  static void discard(Request request) {
    if (request.getLength() == 0) {
      return;
    }
    try (InputStream in = Request.asInputStream(request)) {
      drain(in, new byte[8192], 0);
    } catch (IOException e) {
      // the client went away; there is nobody left to answer
    }
  }

  private static void drain(InputStream in, byte[] chunk, long alreadyRead) throws IOException {
    long read = alreadyRead;
    int n;
    while (read < DRAIN_LIMIT && (n = in.read(chunk)) > 0) {
      read += n;
    }
  }

  /** Decodes strictly: malformed UTF-8 is an error, not replacement characters. */
  static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
