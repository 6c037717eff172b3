package io.parley.server.webhooks;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.Timeout;

/** Presence webhooks on PostgreSQL (mandatory in CI with PARLEY_REQUIRE_PG=1). */
@Timeout(300)
class PresenceWebhooksPostgresTest extends PresenceWebhookTests {
  @Override
  TestServer.Store store() {
    return TestServer.Store.POSTGRES;
  }
}
