package io.parley.server.backend;

import io.parley.server.testing.TestServer.Store;
import org.junit.jupiter.api.BeforeAll;

/** {@link PublishProxyCases} on the embedded store. */
class PublishProxyTest extends PublishProxyCases {

  @BeforeAll
  static void start() throws Exception {
    start(Store.EMBEDDED);
  }
}
