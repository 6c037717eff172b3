package io.parley.server.chat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as the contract writes them: RFC 3339 UTC with exactly three fraction digits.
 * {@link DateTimeFormatter#ISO_INSTANT} drops the fraction on a whole second, hence this pattern.
 *
 * <p>Every stored message is stamped here on the committer thread, where the formatter's
 * generic printing was a tenth of the thread's time; years 1000 to 9999 are therefore written
 * digit by digit, others (never seen in practice) through the formatter.
 */
public final class WireTime {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** 1000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: four-digit years. */
  private static final long FAST_FROM = -30_610_224_000L;
  private static final long FAST_TO = 253_402_300_799L;

  private WireTime() {}

  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < FAST_FROM || seconds > FAST_TO) {
      return FORMAT.format(instant);
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    byte[] b = new byte[24];
    digits(b, 0, t.getYear(), 4);
    b[4] = '-';
    digits(b, 5, t.getMonthValue(), 2);
    b[7] = '-';
    digits(b, 8, t.getDayOfMonth(), 2);
    b[10] = 'T';
    digits(b, 11, t.getHour(), 2);
    b[13] = ':';
    digits(b, 14, t.getMinute(), 2);
    b[16] = ':';
    digits(b, 17, t.getSecond(), 2);
    b[19] = '.';
    digits(b, 20, instant.getNano() / 1_000_000, 3);
    b[23] = 'Z';
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static void digits(byte[] into, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Reads a timestamp written by {@link #format} (or any RFC 3339 UTC instant). */
  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
