package io.parley.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.auth.Tokens;
import io.parley.server.browser.RawHttp;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.LogCapture;
import io.parley.server.testing.TestServer;
import io.parley.server.ws.SessionLifecycle;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code PARLEY_TRUSTED_PROXIES} on a real server: from a trusted peer the forwarded address is the
 * client, for the per-address session limit (default 1,000), the per-address rate buckets and the
 * log lines; from any other peer the header is ignored. The connections are bare sockets, held
 * only as long as a test needs them (two file descriptors each, server side included).
 */
@Timeout(120)
class TrustedProxyTest {
  private static final int MANY_CLIENTS = 1_500;
  private static final int LIMIT = ServerConfig.DEFAULT_MAX_SESSIONS_PER_ADDRESS;
  private static final String CLIENT = "203.0.113.77";

  @Test
  void fifteenHundredForwardedClientsOfOneTrustedProxyAreAllAdmitted() throws Exception {
    requireDescriptors(2 * MANY_CLIENTS);
    try (TestServer server = start(trusting("127.0.0.1"));
        ForwardedUpgrades proxy = new ForwardedUpgrades(server.port(), null)) {
      for (int i = 0; i < MANY_CLIENTS; i++) {
        String client = "198.18." + (i / 250) + "." + (i % 250 + 1);
        assertThat(proxy.forwardedFor(client)).as("session %d, for %s", i + 1, client).startsWith("HTTP/1.1 101");
      }
      assertThat(proxy.held()).isEqualTo(MANY_CLIENTS).isGreaterThan(LIMIT);
    }
  }

  @Test
  void oneForwardedClientStillMeetsThePerAddressLimit() throws Exception {
    try (TestServer server = start(trusting("127.0.0.1"));
        ForwardedUpgrades proxy = new ForwardedUpgrades(server.port(), null)) {
      for (int i = 0; i < LIMIT; i++) {
        assertThat(proxy.forwardedFor(CLIENT)).as("session %d", i + 1).startsWith("HTTP/1.1 101");
      }
      assertThat(proxy.forwardedFor(CLIENT)).as("session %d from one client", LIMIT + 1).startsWith("HTTP/1.1 429");
      assertThat(proxy.forwardedFor("203.0.113.78")).as("another client of the same proxy").startsWith("HTTP/1.1 101");
      assertThat(proxy.forwardedFor("2001:db8::77")).as("an IPv6 client").startsWith("HTTP/1.1 101");
    }
  }

  @Test
  void anUntrustedPeersHeaderIsIgnored() throws Exception {
    UnaryOperator<ServerConfig> twoPerAddress = c -> trusting("10.0.0.0/8").apply(limit(c, 2));
    try (TestServer server = start(twoPerAddress);
        ForwardedUpgrades peer = new ForwardedUpgrades(server.port(), null)) {
      assertThat(peer.forwardedFor("198.18.0.1")).startsWith("HTTP/1.1 101");
      assertThat(peer.upgrade("Forwarded: for=198.18.0.2\r\n")).startsWith("HTTP/1.1 101");
      assertThat(peer.forwardedFor("198.18.0.3")).as("all counted under 127.0.0.1").startsWith("HTTP/1.1 429");
    }
  }

  @Test
  void anotherPeerThanTheTrustedOneIsItsOwnClient() throws Exception {
    UnaryOperator<ServerConfig> twoPerAddress = c -> trusting("127.0.0.1").apply(limit(c, 2));
    try (TestServer server = start(twoPerAddress);
        ForwardedUpgrades other = new ForwardedUpgrades(server.port(), InetAddress.getByName("127.0.0.2"));
        ForwardedUpgrades proxy = new ForwardedUpgrades(server.port(), null)) {
      assertThat(other.forwardedFor("198.18.0.1")).startsWith("HTTP/1.1 101");
      assertThat(other.forwardedFor("198.18.0.2")).startsWith("HTTP/1.1 101");
      assertThat(other.forwardedFor("198.18.0.3")).as("127.0.0.2 is not trusted").startsWith("HTTP/1.1 429");
      assertThat(proxy.forwardedFor("198.18.0.3")).as("the trusted one's client").startsWith("HTTP/1.1 101");
    }
  }

  @Test
  void aClientThatWritesItsOwnHeaderThroughAnAppendingProxyIsStillItself() throws Exception {
    UnaryOperator<ServerConfig> onePerAddress = c -> trusting("127.0.0.1").apply(limit(c, 1));
    try (TestServer server = start(onePerAddress);
        ForwardedUpgrades proxy = new ForwardedUpgrades(server.port(), null)) {
      assertThat(proxy.forwardedFor("198.18.0.9, " + CLIENT)).startsWith("HTTP/1.1 101");
      assertThat(proxy.forwardedFor("198.18.0.10, " + CLIENT)).as("the same client, whatever it wrote")
          .startsWith("HTTP/1.1 429");
    }
  }

  @Test
  void aSessionsLogLinesCarryTheForwardedAddress() throws Exception {
    try (LogCapture log = LogCapture.of(SessionLifecycle.class.getName());
        TestServer server = start(trusting("127.0.0.1"))) {
      try (ForwardedUpgrades proxy = new ForwardedUpgrades(server.port(), null)) {
        assertThat(proxy.forwardedFor(CLIENT)).startsWith("HTTP/1.1 101");
        assertThat(proxy.upgrade("Forwarded: for=\"[2001:db8::5]:4711\"\r\n")).startsWith("HTTP/1.1 101");
        assertThat(log.awaitContaining("address=" + CLIENT)).anyMatch(e -> e.getFormattedMessage().contains("opened: "));
        log.awaitContaining("address=[2001:db8:0:0:0:0:0:5]");
      }
      log.awaitContaining("closed: code=1006");
      assertThat(log.awaitMessages(4)).filteredOn(m -> m.contains("closed: ")).hasSize(2)
          .anyMatch(m -> m.contains("address=" + CLIENT)).anyMatch(m -> m.contains("address=[2001:db8:0:0:0:0:0:5]"));
      assertThat(log.events()).noneMatch(e -> e.getFormattedMessage().contains("address=127.0.0.1"));
    }
  }

  @Test
  void theAccessLogShowsTheForwardedAddress() throws Exception {
    try (LogCapture log = LogCapture.of("io.parley.access");
        TestServer server = start(c -> trusting("127.0.0.1").apply(c.toBuilder().accessLog(true).build()))) {
      assertThat(RawHttp.send(server.port(), "GET", "/health", "X-Forwarded-For: " + CLIENT).status()).isEqualTo(200);
      log.awaitContaining(CLIENT + " \"GET /health HTTP/1.1\" 200 ");
    }
  }

  @Test
  void eachForwardedClientHasItsOwnRateBucket() throws Exception {
    UnaryOperator<ServerConfig> burstOfTwo = c -> trusting("127.0.0.1").apply(c.withSessionLimits(1, 2,
        LIMIT, ServerConfig.DEFAULT_MAX_ROOMS_PER_SESSION, 0));
    try (TestServer server = start(burstOfTwo)) {
      int status = 0;
      for (int i = 0; i < 40 && status != 429; i++) {
        status = history(server, CLIENT);
      }
      assertThat(status).as("one client spends its bucket").isEqualTo(429);
      assertThat(history(server, "203.0.113.78")).as("another client of the same proxy").isEqualTo(200);
    }
  }

  @Test
  void aClientForwardedByALoopbackProxyIsNoLoopbackClientForMetrics() {
    try (TestServer server = start(c -> trusting("127.0.0.1").apply(c.toBuilder().jwtSecret(Tokens.SECRET).build()))) {
      assertThat(RawHttp.send(server.port(), "GET", "/metrics").status()).isEqualTo(200);
      assertThat(RawHttp.send(server.port(), "GET", "/metrics", "X-Forwarded-For: " + CLIENT).status())
          .as("a remote client behind the proxy").isEqualTo(403);
    }
  }

  /** Fails at once, saying why, when the process may not open this many more file descriptors. */
  private static void requireDescriptors(int needed) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
      long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
      assertThat(free).as("free file descriptors (raise ulimit -n)").isGreaterThan(needed + 1_000L);
    }
  }

  private static int history(TestServer server, String client) {
    return RawHttp.send(server.port(), "GET", "/api/rooms/r/messages", "X-Forwarded-For: " + client).status();
  }

  private static TestServer start(UnaryOperator<ServerConfig> tweak) {
    return TestServer.start(TestServer.Store.EMBEDDED, tweak);
  }

  private static UnaryOperator<ServerConfig> trusting(String... proxies) {
    return c -> c.toBuilder().trustedProxies(List.of(proxies)).build();
  }

  private static ServerConfig limit(ServerConfig c, int sessionsPerAddress) {
    return c.withSessionLimits(TestServer.UNLIMITED_RATE, TestServer.UNLIMITED_RATE, sessionsPerAddress,
        ServerConfig.DEFAULT_MAX_ROOMS_PER_SESSION, 0);
  }
}
