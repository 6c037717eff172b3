package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.browser.RawHttp;
import io.parley.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DNS rebinding: a request whose {@code Host} is a name this server was not told about is refused
 * with 421 on every route and on the upgrade, even when its {@code Origin} matches that
 * {@code Host} (which is what a rebound page sends). Loopback names, IP addresses, the allowed
 * origins' hosts and {@code PARLEY_ALLOWED_HOSTS} are answered.
 */
@Timeout(60)
class HostAllowListTest {
  private static TestServer defaults;
  private static TestServer configured;
  private static TestServer any;

  @BeforeAll
  static void start() {
    defaults = TestServer.start(TestServer.Store.EMBEDDED);
    configured = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withAllowedHosts(List.of("chat.example.com"))
        .withAllowedOrigins(List.of("https://app.example.com")));
    any = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withAllowedHosts(List.of("*")));
  }

  @AfterAll
  static void stop() {
    defaults.close();
    configured.close();
    any.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/rpc", "/api/rooms/r/messages", "/", "/no/such"})
  void aForeignHostIsRefused421OnEveryRoute(String path) {
    RawHttp.Reply reply = RawHttp.send(defaults.port(), "GET", path, "Host: evil.example");
    SlowBodyTest.assertJsonError(reply, 421);
    assertThat(reply.body()).contains("evil.example").contains("PARLEY_ALLOWED_HOSTS");
  }

  @Test
  void aRefusedPostIsAnsweredWithoutItsBody() {
    try (RawHttp.Connection connection = RawHttp.open(defaults.port())) {
      connection.write(SlowBodyTest.head("/rpc", 60_000).replace("Host: 127.0.0.1", "Host: evil.example:8080"));
      RawHttp.Reply reply = connection.reply();
      SlowBodyTest.assertJsonError(reply, 421);
      assertThat(reply.header("Connection")).isEqualTo("close");
    }
  }

  @Test
  void aReboundPageCannotUpgrade() {
    RawHttp.Reply reply = upgrade(defaults, "evil.example:" + defaults.port(), "http://evil.example:" + defaults.port());
    SlowBodyTest.assertJsonError(reply, 421);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST:8080", "localhost.", "127.0.0.1", "127.0.0.1:1", "[::1]:8080",
      "10.1.2.3:8080", "[2001:db8::1]"})
  void loopbackNamesAndAddressesAreAnswered(String host) {
    assertThat(RawHttp.send(defaults.port(), "GET", "/health", "Host: " + host).status()).as("Host: %s", host)
        .isEqualTo(200);
  }

  @Test
  void loopbackUpgradesAreAnswered() {
    String host = "localhost:" + defaults.port();
    assertThat(upgrade(defaults, host, "http://" + host).status()).isEqualTo(101);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat.example.com", "Chat.Example.Com:443", "app.example.com", "localhost"})
  void configuredHostsAndTheAllowedOriginsHostsAreAnswered(String host) {
    assertThat(RawHttp.send(configured.port(), "GET", "/health", "Host: " + host).status()).as("Host: %s", host)
        .isEqualTo(200);
    assertThat(upgrade(configured, host, null).status()).as("upgrade with Host: %s", host).isEqualTo(101);
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "chat.example.com.evil.example", "1.2.3.4.evil.example", "localhost.evil.example"})
  void otherNamesAreRefusedEvenWhenSomeAreConfigured(String host) {
    assertThat(RawHttp.send(configured.port(), "GET", "/health", "Host: " + host).status()).as("Host: %s", host)
        .isEqualTo(421);
  }

  @Test
  void aStarAllowsAnyHost() {
    assertThat(RawHttp.send(any.port(), "GET", "/health", "Host: evil.example").status()).isEqualTo(200);
  }

  private static RawHttp.Reply upgrade(TestServer server, String host, String origin) {
    List<String> headers = new java.util.ArrayList<>(List.of("Host: " + host, "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
    if (origin != null) {
      headers.add("Origin: " + origin);
    }
    return RawHttp.send(server.port(), "GET", "/ws", headers.toArray(String[]::new));
  }
}
