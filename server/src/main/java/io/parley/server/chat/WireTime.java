package io.parley.server.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as the contract writes them: RFC 3339 UTC with exactly three fraction digits.
 * {@link DateTimeFormatter#ISO_INSTANT} drops the fraction on a whole second, hence this pattern.
 */
public final class WireTime {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private WireTime() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  /** Reads a timestamp written by {@link #format} (or any RFC 3339 UTC instant). */
  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
