package io.parley.server.chatlayer;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** {@link DirectMessagesCases} on the embedded store. */
class DirectMessagesTest extends DirectMessagesCases {

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }
}
