package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code /ws} upgrade and the browser {@code Origin} rule: same origin is always allowed, any
 * origin outside the allow-list (empty by default) is refused before the upgrade, and clients that
 * are not browsers (no {@code Origin}) connect as usual.
 */
@Timeout(60)
class UpgradeOriginTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientWithoutOriginIsUpgraded() throws Exception {
    assertThat(RawWebSocket.upgradeStatus(server.port(), "")).startsWith("HTTP/1.1 101");
  }

  @Test
  void theSameOriginIsUpgraded() throws Exception {
    String origin = "Origin: http://127.0.0.1:" + server.port() + "\r\n";
    assertThat(RawWebSocket.upgradeStatus(server.port(), origin)).startsWith("HTTP/1.1 101");
  }

  @Test
  void aForeignOriginIsRefusedBeforeTheUpgrade() throws Exception {
    String status = RawWebSocket.upgradeStatus(server.port(), "Origin: https://evil.example\r\n");
    assertThat(status).as("answer to an upgrade from https://evil.example").doesNotStartWith("HTTP/1.1 101")
        .matches("HTTP/1\\.1 4\\d\\d.*");
  }

  @Test
  void aSameHostOnAnotherPortIsAForeignOrigin() throws Exception {
    String origin = "Origin: http://127.0.0.1:" + (server.port() == 1 ? 2 : server.port() - 1) + "\r\n";
    assertThat(RawWebSocket.upgradeStatus(server.port(), origin)).matches("HTTP/1\\.1 4\\d\\d.*");
  }
}
