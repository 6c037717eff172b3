package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.client.ReconnectPolicy;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BackoffTest {
  private static final ReconnectPolicy POLICY = ReconnectPolicy.forever(Duration.ofMillis(250), Duration.ofSeconds(30));

  @Test
  void delaysStayWithinMinAndTheDoublingCeiling() {
    Backoff backoff = new Backoff(POLICY, new Random(1));
    for (int attempt = 1; attempt <= 40; attempt++) {
      long ceiling = Math.min(30_000, 250L << Math.min(attempt, 20));
      for (int i = 0; i < 50; i++) {
        assertThat(backoff.delay(attempt).toMillis()).isBetween(250L, ceiling);
      }
    }
    assertThat(backoff.ceiling(1)).isEqualTo(500);
    assertThat(backoff.ceiling(6)).isEqualTo(16_000);
    assertThat(backoff.ceiling(7)).isEqualTo(30_000);
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(30_000);
  }

  @Test
  void aSeededSourceRepeatsAndJitterSpreads() {
    Backoff a = new Backoff(POLICY, new Random(99));
    Backoff b = new Backoff(POLICY, new Random(99));
    long distinct = java.util.stream.IntStream.range(0, 20).mapToLong(i -> {
      long delay = a.delay(8).toMillis();
      assertThat(b.delay(8).toMillis()).isEqualTo(delay);
      return delay;
    }).distinct().count();
    assertThat(distinct).as("full jitter spreads clients out").isGreaterThan(10);
  }

  @Test
  void policyRejectsNonsense() {
    assertThatThrownBy(() -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> new Backoff(POLICY, new Random()).delay(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ReconnectPolicy.disabled().enabled()).isFalse();
  }
}
