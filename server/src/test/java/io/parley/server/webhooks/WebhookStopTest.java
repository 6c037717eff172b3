package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node stopped while its webhook request hangs stops anyway (the request is abandoned, not
 * waited for), and the event, still in the outbox, is sent by the next start on the same store.
 */
@Timeout(120)
class WebhookStopTest {

  @Test
  void aStopAbandonsAHangingRequestAndTheNextStartSendsItsEvent() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(WebhookTests.SECRET)) {
      receiver.answer(WebhookReceiver.HANG);
      TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder()
          .webhooks(new WebhookSettings(receiver.url(), WebhookTests.SECRET, WebhookSettings.DEFAULT_MAX_AGE)).build());
      try {
        List<JsonObject> acks = WebhookTests.sendConcurrently(server.wsUri(), 1, 1, "stop");
        assertThat(receiver.await(() -> receiver.requests() > 0, WebhookTests.DELIVERY)).isTrue();
        server = server.restart(); // stops while the request hangs; the test's timeout bounds the stop
        receiver.answer(200);
        assertThat(receiver.await(() -> !receiver.stored().isEmpty(), WebhookTests.DELIVERY)).isTrue();
        WebhookTests.assertExactlyOnceInSeqOrder(acks, receiver.stored());
      } finally {
        server.close();
      }
    }
  }
}
