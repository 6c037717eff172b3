package io.parley.server.webhooks;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.Timeout;

/** Presence webhooks on the embedded H2 store: the same SQL in PostgreSQL mode. */
@Timeout(300)
class PresenceWebhooksEmbeddedTest extends PresenceWebhookTests {
  @Override
  TestServer.Store store() {
    return TestServer.Store.EMBEDDED;
  }
}
