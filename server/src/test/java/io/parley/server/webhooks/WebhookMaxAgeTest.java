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
        // the 3 message.stored, and the presence events of the one sending session: user.online,
        // room.occupied, room.vacated, user.offline
        int events = 3 + 4;
        String metrics = WebhookTests.awaitValue(() -> server.get("/metrics").body(),
            m -> WebhookTests.counter(m, "parley_webhooks_dropped_total") >= events);
        assertThat(WebhookTests.counter(metrics, "parley_webhooks_dropped_total")).isEqualTo(events);
        assertThat(receiver.refused()).isPositive();
        assertThat(receiver.accepted()).isEmpty();
      }
    }
  }
}
