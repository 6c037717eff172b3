package io.parley.server.rpc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Log lines for incidents an attacker can cause at will (refused reads, failed calls): at most one
 * line per kind per {@link #INTERVAL_MS}, saying how many of that kind were left out since the
 * last one. 26,000 refusals once wrote a million lines of stack traces; the count tells the same
 * story in one line per interval. Kinds are a small fixed set of names given by the code, so the
 * map stays small.
 *
 * <p>Thread-safe: a compare-and-set on the kind's last-logged time decides who writes the line.
 */
public final class IncidentLog {
  /** Least time between two lines of one kind. */
  public static final long INTERVAL_MS = 10_000;

  private final Logger log;
  private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();

  private static final class Kind {
    final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS + 1));
    final AtomicLong suppressed = new AtomicLong();
  }

  public IncidentLog(Logger log) {
    this.log = log;
  }

  /** A warning of {@code kind}; written if none of its kind was in the last interval. */
  public void warn(String kind, String format, Object... args) {
    String line = admit(kind, format);
    if (line != null) {
      log.warn(line, args);
    }
  }

  /**
   * An error of {@code kind} with its cause and stack trace, at most once an interval; false when
   * it was left out (a caller whose line carries an id the client saw logs a short one instead).
   */
  public boolean error(String kind, String format, Object... argsAndCause) {
    String line = admit(kind, format);
    if (line != null) {
      log.error(line, argsAndCause);
    }
    return line != null;
  }

  /** The format to log with, with the count of lines left out, or {@code null} to log nothing. */
  private String admit(String kind, String format) {
    Kind k = kinds.computeIfAbsent(kind, key -> new Kind());
    long now = System.nanoTime();
    long last = k.lastNanos.get();
    if (now - last < TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS) || !k.lastNanos.compareAndSet(last, now)) {
      k.suppressed.incrementAndGet();
      return null;
    }
    long left = k.suppressed.getAndSet(0);
    return left == 0 ? format : format + " (and " + left + " more like it in the last interval)";
  }
}
