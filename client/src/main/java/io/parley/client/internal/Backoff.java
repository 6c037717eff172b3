package io.parley.client.internal;

import io.parley.client.ReconnectPolicy;
import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter, as {@link ReconnectPolicy} describes: attempt {@code n}
 * waits a uniform random whole number of milliseconds between {@code minDelay} and {@code
 * min(maxDelay, minDelay × 2^n)}. The random source is injected so a seeded one gives the same
 * delays every run. Used on the core thread only.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final Random random;

  public Backoff(ReconnectPolicy policy, Random random) {
    this.minMillis = Math.max(1, policy.minDelay().toMillis());
    this.maxMillis = Math.max(minMillis, policy.maxDelay().toMillis());
    this.random = random;
  }

  /** The wait before attempt {@code attempt} (1 for the first reconnect). */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    return Duration.ofMillis(minMillis + random.nextLong(ceiling(attempt) - minMillis + 1));
  }

  /** The largest wait of attempt {@code attempt}: {@code min(max, min × 2^attempt)} without overflow. */
  long ceiling(int attempt) {
    if (attempt >= 62 || minMillis > (maxMillis >> attempt)) {
      return maxMillis;
    }
    return Math.min(maxMillis, minMillis << attempt);
  }
}
