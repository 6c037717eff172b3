package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.server.http.TrustedProxies;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PARLEY_TRUSTED_PROXIES} / {@code --trusted-proxies}: addresses and CIDR ranges, IPv4 and
 * IPv6, parsed without DNS, put in canonical form, and matched bit by bit.
 */
@Timeout(10)
class ConfigParserTrustedProxiesTest {
  private static final String[] NO_ARGS = {};

  @Test
  void noneByDefault() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of()).trustedProxies()).isEmpty();
    assertThat(ServerConfig.defaults().trustedProxies()).isEmpty();
  }

  @Test
  void addressesAndRangesInCanonicalForm() throws ConfigException {
    ServerConfig config = ConfigParser.parse(NO_ARGS, Map.of("PARLEY_TRUSTED_PROXIES",
        " 172.16.0.0/12 , 10.1.2.3,10.9.8.7/8,::1, fd00::/8,2001:DB8::/32"));
    assertThat(config.trustedProxies()).containsExactly("172.16.0.0/12", "10.1.2.3/32", "10.0.0.0/8",
        "0:0:0:0:0:0:0:1/128", "fd00:0:0:0:0:0:0:0/8", "2001:db8:0:0:0:0:0:0/32");
    assertThat(config.summary()).contains("trustedProxies=172.16.0.0/12,10.1.2.3/32");
  }

  @Test
  void theFlagWinsOverTheVariableAndIsListedByHelp() throws ConfigException {
    ServerConfig config = ConfigParser.parse(new String[] {"--trusted-proxies", "192.168.0.0/16"},
        Map.of("PARLEY_TRUSTED_PROXIES", "10.0.0.0/8"));
    assertThat(config.trustedProxies()).containsExactly("192.168.0.0/16");
    assertThat(ConfigParser.help()).contains("--trusted-proxies").contains("PARLEY_TRUSTED_PROXIES");
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy.example.com", "localhost", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1",
      "10.0.0.0/8/8", "256.1.1.1", "10.1.1", "1.2.3.4:80", "[::1]", "fe80::1%eth0", "*", "10.0.0.0/x"})
  void aBadEntryStopsTheStartWithOneClearLineNamingTheVariable(String entry) {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_TRUSTED_PROXIES", "10.0.0.1," + entry)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLEY_TRUSTED_PROXIES: \"" + entry + "\"");
  }

  @Test
  void anEmptyEntryIsRefused() {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_TRUSTED_PROXIES", "10.0.0.1,,10.0.0.2")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("PARLEY_TRUSTED_PROXIES: empty entry");
  }

  @Test
  void rangesMatchByPrefixAndFamily() throws UnknownHostException {
    TrustedProxies proxies = TrustedProxies.of(List.of("172.16.0.0/12", "10.1.2.3", "fd00::/8", "192.168.1.128/25"));
    assertThat(proxies.trusts(ip("172.16.0.1"))).isTrue();
    assertThat(proxies.trusts(ip("172.31.255.255"))).isTrue();
    assertThat(proxies.trusts(ip("172.32.0.0"))).isFalse();
    assertThat(proxies.trusts(ip("10.1.2.3"))).isTrue();
    assertThat(proxies.trusts(ip("10.1.2.4"))).isFalse();
    assertThat(proxies.trusts(ip("192.168.1.200"))).isTrue();
    assertThat(proxies.trusts(ip("192.168.1.127"))).isFalse();
    assertThat(proxies.trusts(ip("fdab:1::9"))).isTrue();
    assertThat(proxies.trusts(ip("fe00::1"))).isFalse();
    assertThat(proxies.trusts(ip("::ffff:172.16.0.1"))).as("an IPv4-mapped peer is its IPv4 address").isTrue();
  }

  @Test
  void aZeroPrefixTrustsTheWholeFamilyOnly() throws UnknownHostException {
    TrustedProxies v4 = TrustedProxies.of(List.of("0.0.0.0/0"));
    assertThat(v4.trusts(ip("203.0.113.9"))).isTrue();
    assertThat(v4.trusts(ip("2001:db8::1"))).isFalse();
    assertThat(TrustedProxies.of(List.of()).trusts(ip("127.0.0.1"))).isFalse();
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
