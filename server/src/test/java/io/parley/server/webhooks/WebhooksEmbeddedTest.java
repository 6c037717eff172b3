package io.parley.server.webhooks;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.Timeout;

/** Webhooks on the embedded H2 store. */
@Timeout(300)
class WebhooksEmbeddedTest extends WebhookTests {
  @Override
  TestServer.Store store() {
    return TestServer.Store.EMBEDDED;
  }
}
