package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sql.WebhookOutbox.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry delay: doubling from 1 s per failure, at most 60 s, times a jitter from 0.5 to 1. */
class WebhookBackoffTest {

  private static List<Event> failedBefore(int attempts) {
    return List.of(new Event(1, "e1", "message.stored", Instant.EPOCH, 0, null, null, null, "{}"),
        new Event(2, "e2", "message.stored", Instant.EPOCH, attempts, null, null, null, "{}"));
  }

  @Test
  void doublesPerFailureUpToAMinuteWithJitter() {
    for (int i = 0; i < 200; i++) {
      assertThat(WebhookSender.backoff(failedBefore(0))).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
      assertThat(WebhookSender.backoff(failedBefore(3))).isBetween(Duration.ofMillis(4000), Duration.ofMillis(8000));
      assertThat(WebhookSender.backoff(failedBefore(40))).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
  }
}
