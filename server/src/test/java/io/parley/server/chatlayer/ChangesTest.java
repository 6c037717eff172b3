package io.parley.server.chatlayer;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** {@link ChangesCases} on the embedded store. */
class ChangesTest extends ChangesCases {

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }
}
