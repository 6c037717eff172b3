package io.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token bucket on a fake clock. */
@Timeout(10)
class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advanceMillis(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  @Test
  void allowsTheBurstThenAsksToWait() {
    TokenBucket bucket = new TokenBucket(1, 5, now::get);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake()).isZero();
    }
    assertThat(bucket.tryTake()).isEqualTo(1000);
    advanceMillis(400);
    assertThat(bucket.tryTake()).isEqualTo(600);
    advanceMillis(600);
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(1000);
  }

  @Test
  void refillsAtTheRateUpToTheBurstOnly() {
    TokenBucket bucket = new TokenBucket(10, 3, now::get);
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryTake()).isZero();
    }
    assertThat(bucket.tryTake()).isEqualTo(100);
    advanceMillis(60_000);
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryTake()).isZero();
    }
    assertThat(bucket.tryTake()).isPositive();
  }

  @Test
  void retryAfterIsAtLeastOneMillisecond() {
    TokenBucket bucket = new TokenBucket(1_000_000, 1, now::get);
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(1);
  }

  @Test
  void aClockGoingBackwardsAddsNothing() {
    TokenBucket bucket = new TokenBucket(1, 1, now::get);
    assertThat(bucket.tryTake()).isZero();
    now.addAndGet(-5_000_000_000L);
    assertThat(bucket.tryTake()).isPositive();
  }

  @Test
  void refusesNonPositiveSettings() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addressCounterBoundsAndReleases() {
    AddressCounter counter = new AddressCounter(2);
    assertThat(counter.tryAcquire("a")).isTrue();
    assertThat(counter.tryAcquire("a")).isTrue();
    assertThat(counter.tryAcquire("a")).isFalse();
    assertThat(counter.tryAcquire("b")).isTrue();
    counter.release("a");
    assertThat(counter.count("a")).isEqualTo(1);
    assertThat(counter.tryAcquire("a")).isTrue();
    counter.release("b");
    assertThat(counter.count("b")).isZero();
  }
}
