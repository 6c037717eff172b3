package io.parley.protocol;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The machine-readable part of Parley's close reasons, written by the server and read by the
 * SDK with the same code. A shutdown closes each session with 1001 and a reason such as
 * {@code server shutting down; retryAfterMs=2345; recover with since}: fields separated by
 * {@code ;}, one of them {@code retryAfterMs=<ms>}, the time the client should wait before its
 * first reconnect (each session gets its own, so a restart does not bring every client back at
 * once). The field name mirrors {@code error.data.retryAfterMs} of {@link ErrorCodes#RATE_LIMITED}.
 *
 * <p>Reading is forgiving in the one way that matters: a reason that is not ours (garbage, too
 * long, a negative or overflowing number, the field twice) yields no wait, and the client falls
 * back to its own backoff. Stateless; any thread.
 */
public final class CloseReasons {
  /** The most UTF-8 bytes a WebSocket close reason may have (125 of control payload minus the code). */
  public static final int MAX_BYTES = 123;
  /** The field that carries the wait, as in {@code error.data.retryAfterMs}. */
  public static final String RETRY_AFTER_MS = "retryAfterMs";
  /** The longest wait a client honours; a larger announced wait is cut to this. */
  public static final long MAX_RETRY_AFTER_MS = 60_000;

  private static final String SEPARATOR = ";";
  private static final String FIELD_PREFIX = RETRY_AFTER_MS + "=";
  /** Enough digits for any sensible wait and never a {@code long} overflow. */
  private static final int MAX_DIGITS = 9;
  private static final String SHUTTING_DOWN = "server shutting down";
  private static final String RECOVER = "recover with since";

  private CloseReasons() {}

  /** The 1001 reason of a shutdown that asks the client to wait {@code retryAfterMs} first. */
  public static String goingAway(long retryAfterMs) {
    if (retryAfterMs < 0) {
      throw new IllegalArgumentException(RETRY_AFTER_MS + " must be 0 or more, got " + retryAfterMs);
    }
    String reason = SHUTTING_DOWN + SEPARATOR + " " + FIELD_PREFIX + retryAfterMs + SEPARATOR + " " + RECOVER;
    if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException("close reason over " + MAX_BYTES + " bytes: " + reason);
    }
    return reason;
  }

  /**
   * The wait a close reason announces, uncapped (callers cap with {@link #MAX_RETRY_AFTER_MS});
   * empty when the reason is {@code null}, over {@link #MAX_BYTES}, has no such field, has it
   * twice, or its value is not 1 to {@value #MAX_DIGITS} decimal digits.
   */
  public static OptionalLong retryAfterMs(String reason) {
    if (reason == null || reason.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return OptionalLong.empty();
    }
    OptionalLong found = OptionalLong.empty();
    for (String field : reason.split(SEPARATOR, -1)) {
      String trimmed = field.strip();
      if (!trimmed.startsWith(FIELD_PREFIX)) {
        continue;
      }
      String digits = trimmed.substring(FIELD_PREFIX.length());
      if (found.isPresent() || !isNumber(digits)) {
        return OptionalLong.empty();
      }
      found = OptionalLong.of(Long.parseLong(digits));
    }
    return found;
  }

  private static boolean isNumber(String digits) {
    if (digits.isEmpty() || digits.length() > MAX_DIGITS) {
      return false;
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
