package io.parley.server.chatlayer;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** {@link ChangesCases} on PostgreSQL. */
class ChangesPostgresTest extends ChangesCases {

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.POSTGRES);
  }
}
