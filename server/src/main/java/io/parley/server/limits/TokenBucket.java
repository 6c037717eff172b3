package io.parley.server.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} calls at once, refilled at {@code rate} per second. Time comes
 * from a nanosecond supplier so tests can drive it. Thread-safe (synchronized; one per session,
 * so the lock is uncontended but for batches answered on several threads).
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  public TokenBucket(int ratePerSecond, int burst, LongSupplier nanoTime) {
    if (ratePerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /**
   * Takes one token: returns 0 when the call may go ahead, else the milliseconds (at least 1)
   * until a token will be available.
   */
  public synchronized long tryTake() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    double missingNanos = (1 - tokens) / ratePerNano;
    return Math.max(1, (long) Math.ceil(missingNanos / 1_000_000d));
  }
}
