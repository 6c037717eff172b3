package io.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code Origin} check on {@code /ws} upgrades, on real sockets: same origin and listed
 * origins upgrade (101), no {@code Origin} (not a browser) upgrades, anything else is a 403
 * before the upgrade.
 */
@Timeout(60)
class AllowedOriginsUpgradeTest {
  private static TestServer listing;
  private static TestServer open;

  @BeforeAll
  static void start() {
    listing = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.withAllowedOrigins(List.of("https://app.example.com", "http://localhost:3000")));
    open = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withAllowedOrigins(List.of("*")));
  }

  @AfterAll
  static void stop() {
    for (TestServer server : new TestServer[] {listing, open}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static RawHttp.Reply upgrade(TestServer server, String... extraHeaders) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    List<String> headers = new ArrayList<>(List.of("Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce), "Sec-WebSocket-Version: 13"));
    headers.addAll(List.of(extraHeaders));
    return RawHttp.send(server.port(), "GET", "/ws", headers.toArray(String[]::new));
  }

  @Test
  void withoutAnOriginTheUpgradeIsAllowed() {
    assertThat(upgrade(listing).status()).isEqualTo(101);
  }

  @Test
  void theSameOriginIsAllowed() {
    int port = listing.port();
    assertThat(upgrade(listing, "Origin: http://127.0.0.1:" + port).status()).isEqualTo(101);
    assertThat(upgrade(listing, "Host: localhost:" + port, "Origin: http://localhost:" + port).status())
        .isEqualTo(101);
    assertThat(upgrade(listing, "Host: LocalHost:" + port, "Origin: http://localhost:" + port).status())
        .as("host names compare case-insensitively").isEqualTo(101);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://app.example.com", "https://app.example.com:443", "HTTPS://APP.example.com",
      "http://localhost:3000"})
  void aListedOriginIsAllowed(String origin) {
    assertThat(upgrade(listing, "Origin: " + origin).status()).isEqualTo(101);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example.com", "http://app.example.com", "https://app.example.com:8443",
      "http://localhost:3001", "http://localhost", "null", "not an origin", "https://app.example.com.evil.net"})
  void anyOtherOriginIsRefusedBeforeTheUpgrade(String origin) {
    RawHttp.Reply reply = upgrade(listing, "Origin: " + origin);
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.header("Upgrade")).isNull();
    assertThat(reply.header("Sec-WebSocket-Accept")).isNull();
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.body()).startsWith("{\"error\":{\"status\":403,\"message\":\"origin not allowed: ");
  }

  @Test
  void theSameHostOnAnotherPortOrSchemeIsAnotherOrigin() {
    int port = listing.port();
    assertThat(upgrade(listing, "Origin: https://127.0.0.1:" + port).status()).isEqualTo(403);
    assertThat(upgrade(listing, "Origin: http://127.0.0.1:" + (port + 1)).status()).isEqualTo(403);
    assertThat(upgrade(listing, "Host: localhost:" + port, "Origin: http://127.0.0.1:" + port).status())
        .isEqualTo(403);
  }

  @Test
  void aStarAllowsEveryOrigin() {
    assertThat(upgrade(open, "Origin: https://evil.example.com").status()).isEqualTo(101);
    assertThat(upgrade(open, "Origin: null").status()).isEqualTo(101);
  }

  @Test
  void aNonBrowserClientStillTalksJsonRpc() {
    try (WsClient client = listing.connect()) {
      assertThat(client.call("echo", "[1]").get("result").toString()).isEqualTo("[1]");
    }
  }
}
