package io.parley.server.storage;

import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ReadFloodEmbeddedTest extends ReadFloodTests {
  @Override
  TestServer.Store store() {
    return TestServer.Store.EMBEDDED;
  }
}
