package io.parley.server.chatlayer;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** {@link DirectMessagesCases} on PostgreSQL. */
class DirectMessagesPostgresTest extends DirectMessagesCases {

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.POSTGRES);
  }
}
