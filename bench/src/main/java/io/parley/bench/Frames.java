package io.parley.bench;

import java.nio.charset.StandardCharsets;

/**
 * Builds JSON-RPC request frames from templates without allocating per message, and finds the few
 * things the scenarios need in a received frame by scanning bytes (no JSON parse).
 *
 * <p>A request is {@code {"jsonrpc":"2.0","id":<id>,"method":"<m>","params":<template>}} where
 * {@code $TEXT} in the template is replaced by {@code @@T<intended send nanoTime>} padded with
 * {@code x} to the configured size. Not thread-safe: one instance per event loop.
 */
final class Frames {
  static final byte[] MARKER = ascii("@@T");
  static final byte[] ERROR = ascii("\"error\"");
  static final byte[] ID = ascii("\"id\":");
  static final byte[] CODE = ascii("\"code\":");

  private final byte[] head = ascii("{\"jsonrpc\":\"2.0\",\"id\":");
  private final byte[] beforeText;
  private final byte[] afterText;
  private final int textSize;
  final byte[] scratch;

  /** A builder for {@code method} with a params template ({@code $ROOM} already known). */
  Frames(String method, String paramsTemplate, String room, int textSize) {
    String params = paramsTemplate.replace("$ROOM", room);
    String middle = ",\"method\":\"" + method + "\",\"params\":";
    int t = params.indexOf("$TEXT");
    if (t < 0) {
      beforeText = ascii(middle + params + "}");
      afterText = new byte[0];
      this.textSize = 0;
    } else {
      beforeText = ascii(middle + params.substring(0, t));
      afterText = ascii(params.substring(t + 5) + "}");
      this.textSize = textSize;
    }
    scratch = new byte[head.length + 20 + beforeText.length + textSize + afterText.length];
  }

  /** Writes the request with {@code id} and a text stamped with {@code stamp} into {@link #scratch}; returns its length. */
  int build(long id, long stamp) {
    byte[] s = scratch;
    System.arraycopy(head, 0, s, 0, head.length);
    int p = writeLong(s, head.length, id);
    System.arraycopy(beforeText, 0, s, p, beforeText.length);
    p += beforeText.length;
    if (textSize > 0) {
      int start = p;
      System.arraycopy(MARKER, 0, s, p, MARKER.length);
      p = writeLong(s, p + MARKER.length, stamp);
      while (p - start < textSize) {
        s[p++] = 'x';
      }
    }
    System.arraycopy(afterText, 0, s, p, afterText.length);
    return p + afterText.length;
  }

  private static int writeLong(byte[] s, int p, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value " + v);
    }
    int digits = 1;
    for (long x = v; x >= 10; x /= 10) {
      digits++;
    }
    for (int i = p + digits - 1; i >= p; i--) {
      s[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return p + digits;
  }

  /** The index of {@code needle} in {@code a[off..off+len)}, or -1. */
  static int indexOf(byte[] a, int off, int len, byte[] needle) {
    int end = off + len - needle.length;
    byte first = needle[0];
    outer:
    for (int i = off; i <= end; i++) {
      if (a[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The non-negative integer right after {@code needle} (spaces skipped), or -1 if absent or not a number. */
  static long numberAfter(byte[] a, int off, int len, byte[] needle) {
    int i = indexOf(a, off, len, needle);
    if (i < 0) {
      return -1;
    }
    int p = i + needle.length;
    int end = off + len;
    while (p < end && a[p] == ' ') {
      p++;
    }
    return digitsAt(a, p, end);
  }

  /** The non-negative integer whose digits start at {@code p}, or -1 if no digit is there. */
  private static long digitsAt(byte[] a, int p, int end) {
    long v = 0;
    int start = p;
    while (p < end && a[p] >= '0' && a[p] <= '9') {
      v = v * 10 + (a[p++] - '0');
    }
    return p == start ? -1 : v;
  }

  /** The integer (sign allowed) right after {@code needle}, or {@code absent} if there is none. */
  static long signedNumberAfter(byte[] a, int off, int len, byte[] needle, long absent) {
    int i = indexOf(a, off, len, needle);
    if (i < 0) {
      return absent;
    }
    int p = i + needle.length;
    int end = off + len;
    while (p < end && a[p] == ' ') {
      p++;
    }
    boolean negative = p < end && a[p] == '-';
    long v = digitsAt(a, negative ? p + 1 : p, end);
    return v < 0 ? absent : negative ? -v : v;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
