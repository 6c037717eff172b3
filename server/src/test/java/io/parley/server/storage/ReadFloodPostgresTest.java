package io.parley.server.storage;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ReadFloodPostgresTest extends ReadFloodTests {
  @Override
  TestServer.Store store() {
    return TestServer.Store.POSTGRES;
  }
}
