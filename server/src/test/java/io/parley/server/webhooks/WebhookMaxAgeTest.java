package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An event the backend never accepts is dropped after the max age, with a WARN line and a count (#18). */
@Timeout(120)
class WebhookMaxAgeTest {

  @Test
  void eventsOlderThanTheMaxAgeAreDroppedAndCounted() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(WebhookTests.SECRET)) {
      receiver.answer(500);
      try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder()
          .webhooks(new WebhookSettings(receiver.url(), WebhookTests.SECRET, Duration.ofSeconds(1))).build())) {
        WebhookTests.sendConcurrently(server.wsUri(), 1, 3, "old");
        String metrics = WebhookTests.awaitValue(() -> server.get("/metrics").body(),
            m -> WebhookTests.counter(m, "parley_webhooks_dropped_total") >= 3);
        assertThat(WebhookTests.counter(metrics, "parley_webhooks_dropped_total")).isEqualTo(3);
        assertThat(receiver.refused()).isPositive();
        assertThat(receiver.accepted()).isEmpty();
      }
    }
  }
}
