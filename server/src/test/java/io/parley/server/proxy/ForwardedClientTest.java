package io.parley.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.http.ForwardedClient;
import io.parley.server.http.TrustedProxies;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client-address rule on its own: only a trusted peer's headers count, and of their hops the
 * right-most one that is not itself a trusted proxy is the client.
 */
@Timeout(10)
class ForwardedClientTest {
  private static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8"));
  private static final List<String> NONE = List.of();

  @Test
  void anUntrustedPeersHeadersAreIgnored() throws UnknownHostException {
    assertThat(resolve("192.0.2.1", List.of("198.51.100.7"), List.of("for=198.51.100.8"))).isEqualTo(ip("192.0.2.1"));
  }

  @Test
  void aTrustedPeerWithoutHeadersIsTheClient() throws UnknownHostException {
    assertThat(resolve("10.0.0.2", NONE, NONE)).isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void theRightMostUntrustedHopWinsOverWhatTheClientWroteItself() throws UnknownHostException {
    // nginx appends the real peer to whatever X-Forwarded-For the client sent.
    assertThat(resolve("10.0.0.2", List.of("127.0.0.1, 203.0.113.5"), NONE)).isEqualTo(ip("203.0.113.5"));
    assertThat(resolve("10.0.0.2", List.of("1.1.1.1, 203.0.113.5, 10.0.0.9"), NONE)).isEqualTo(ip("203.0.113.5"));
    assertThat(resolve("10.0.0.2", List.of("1.1.1.1", "203.0.113.5", "10.0.0.9"), NONE))
        .as("several header lines are one list").isEqualTo(ip("203.0.113.5"));
  }

  @Test
  void whenEveryHopIsTrustedTheLeftMostIsTheClient() throws UnknownHostException {
    assertThat(resolve("10.0.0.2", List.of("10.0.0.7, 10.0.0.9"), NONE)).isEqualTo(ip("10.0.0.7"));
  }

  @Test
  void aHopThatIsNoAddressEndsTheWalk() throws UnknownHostException {
    assertThat(resolve("10.0.0.2", List.of("203.0.113.5, unknown"), NONE)).isEqualTo(ip("10.0.0.2"));
    assertThat(resolve("10.0.0.2", List.of("203.0.113.5, junk, 10.0.0.9"), NONE)).isEqualTo(ip("10.0.0.9"));
    assertThat(resolve("10.0.0.2", List.of("example.com"), NONE)).as("no DNS").isEqualTo(ip("10.0.0.2"));
    assertThat(resolve("10.0.0.2", List.of(""), NONE)).isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void portsAndIpv6FormsAreRead() throws UnknownHostException {
    assertThat(resolve("10.0.0.2", List.of("203.0.113.5:4711"), NONE)).isEqualTo(ip("203.0.113.5"));
    assertThat(resolve("10.0.0.2", List.of("2001:db8::5"), NONE)).isEqualTo(ip("2001:db8::5"));
    assertThat(resolve("10.0.0.2", List.of("[2001:db8::5]:4711"), NONE)).isEqualTo(ip("2001:db8::5"));
    assertThat(resolve("fd00::2", List.of("203.0.113.5"), NONE)).as("an IPv6 proxy").isEqualTo(ip("203.0.113.5"));
  }

  @Test
  void forwardedIsReadWhenThereIsNoXForwardedFor() throws UnknownHostException {
    assertThat(resolve("10.0.0.2", NONE, List.of("for=192.0.2.60;proto=http;by=203.0.113.43")))
        .isEqualTo(ip("192.0.2.60"));
    assertThat(resolve("10.0.0.2", NONE, List.of("for=198.51.100.1, For=\"[2001:db8:cafe::17]:4711\"")))
        .isEqualTo(ip("2001:db8:cafe::17"));
    assertThat(resolve("10.0.0.2", NONE, List.of("for=198.51.100.1", "for=10.0.0.3;proto=https")))
        .isEqualTo(ip("198.51.100.1"));
    assertThat(resolve("10.0.0.2", NONE, List.of("for=_hidden"))).isEqualTo(ip("10.0.0.2"));
    assertThat(resolve("10.0.0.2", NONE, List.of("proto=https"))).as("an element without for=").isEqualTo(ip("10.0.0.2"));
    assertThat(resolve("10.0.0.2", NONE, List.of("for=\"198.51.100.1, 1.2.3.4\"")))
        .as("a comma inside quotes is not a separator").isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void xForwardedForWinsOverForwarded() throws UnknownHostException {
    assertThat(resolve("10.0.0.2", List.of("203.0.113.5"), List.of("for=192.0.2.60"))).isEqualTo(ip("203.0.113.5"));
  }

  private static InetAddress resolve(String peer, List<String> forwardedFor, List<String> forwarded)
      throws UnknownHostException {
    return ForwardedClient.resolve(PROXIES, ip(peer), forwardedFor, forwarded);
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
