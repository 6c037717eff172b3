package io.parley.server.backend;

import io.parley.server.testing.TestServer.Store;
import org.junit.jupiter.api.BeforeAll;

/** {@link PublishProxyCases} on PostgreSQL (skipped when none answers, unless PARLEY_REQUIRE_PG=1). */
class PublishProxyPostgresTest extends PublishProxyCases {

  @BeforeAll
  static void start() throws Exception {
    start(Store.POSTGRES);
  }
}
