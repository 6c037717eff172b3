package io.parley.client;

import java.time.Duration;

/**
 * When and how often a {@link ParleyClient} reconnects after its connection drops: exponential
 * backoff with full jitter. Attempt {@code n} (from 1) waits a uniformly random delay between
 * {@code minDelay} and {@code min(maxDelay, minDelay × 2^n)}, so no attempt comes sooner than
 * {@code minDelay}, none later than {@code maxDelay}, and clients that lost the same server do not
 * come back in step. The randomness is the builder's {@link ParleyClientBuilder#random}, so tests
 * can seed it.
 *
 * <p>One exception: when a server shutting down closes with 1001 and announces a wait in the
 * close reason ({@code retryAfterMs}, spread by the server over its sessions), the first attempt
 * comes after that wait (at most 60 s) instead of the backoff's delay.
 *
 * <p>The attempt counter starts again after every successful reconnect. After {@code maxAttempts}
 * failed attempts in a row the client gives up ({@link ConnectionState#FAILED}); {@link #FOREVER}
 * never gives up; {@code 0} never reconnects.
 *
 * @param minDelay the shortest wait, positive
 * @param maxDelay the longest wait, at least {@code minDelay}
 * @param maxAttempts failed attempts in a row before giving up: 0 (never reconnect) up to {@link #FOREVER}
 */
public record ReconnectPolicy(Duration minDelay, Duration maxDelay, int maxAttempts) {
  /** Never give up. */
  public static final int FOREVER = Integer.MAX_VALUE;

  public ReconnectPolicy {
    if (minDelay == null || maxDelay == null || minDelay.isNegative() || minDelay.isZero()) {
      throw new IllegalArgumentException("minDelay must be positive, got " + minDelay);
    }
    if (maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least minDelay (" + minDelay + "), got " + maxDelay);
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be 0 or more, got " + maxAttempts);
    }
  }

  /** The default: from 250 ms up to 30 s, forever. */
  public static ReconnectPolicy defaults() {
    return new ReconnectPolicy(Duration.ofMillis(250), Duration.ofSeconds(30), FOREVER);
  }

  /** Never reconnect: a dropped connection fails the client. */
  public static ReconnectPolicy disabled() {
    return new ReconnectPolicy(Duration.ofMillis(250), Duration.ofSeconds(30), 0);
  }

  /** Backoff between {@code min} and {@code max}, forever. */
  public static ReconnectPolicy forever(Duration min, Duration max) {
    return new ReconnectPolicy(min, max, FOREVER);
  }

  /** The same delays, giving up after {@code attempts} failed attempts in a row. */
  public ReconnectPolicy withMaxAttempts(int attempts) {
    return new ReconnectPolicy(minDelay, maxDelay, attempts);
  }

  public boolean enabled() {
    return maxAttempts > 0;
  }
}
