package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PARLEY_CONNECT_PROXY_URL}, {@code PARLEY_PUBLISH_PROXY_URL} and {@code
 * PARLEY_PROXY_TIMEOUT_MS} (#18): env and flag, listed by {@code --help}, URLs checked at start.
 */
@Timeout(10)
class ConfigParserProxiesTest {
  private static final String[] NO_ARGS = {};

  @Test
  void offByDefaultWithATwoSecondTimeout() throws ConfigException {
    ServerConfig config = ConfigParser.parse(NO_ARGS, Map.of());
    assertThat(config.proxies()).isEqualTo(ProxySettings.NONE);
    assertThat(config.proxies().timeout()).isEqualTo(Duration.ofMillis(2000));
    assertThat(config.sessionsLocked()).isFalse();
  }

  @Test
  void envAndFlagsSetThemAndTheSummaryHidesQueriesAndUserInfo() throws ConfigException {
    ServerConfig config = ConfigParser.parse(new String[] {"--publish-proxy-url", "http://127.0.0.1:9000/publish",
        "--proxy-timeout-ms", "750"}, Map.of("PARLEY_CONNECT_PROXY_URL", "https://u:pw@app.example.com/connect?key=k"));
    assertThat(config.proxies().connectUrl()).isEqualTo(URI.create("https://u:pw@app.example.com/connect?key=k"));
    assertThat(config.proxies().publishUrl()).isEqualTo(URI.create("http://127.0.0.1:9000/publish"));
    assertThat(config.proxies().timeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(config.sessionsLocked()).isTrue();
    assertThat(config.tokenMode()).isFalse();
    assertThat(config.summary()).contains("connectProxy=https://app.example.com/connect")
        .contains("publishProxy=http://127.0.0.1:9000/publish").contains("proxyTimeout=750ms")
        .doesNotContain("pw").doesNotContain("key=k");
    assertThat(config.toBuilder().build().proxies()).isEqualTo(config.proxies());
    ServerConfig env = ConfigParser.parse(NO_ARGS, Map.of("PARLEY_PUBLISH_PROXY_URL", "https://a.example/p",
        "PARLEY_PROXY_TIMEOUT_MS", "100"));
    assertThat(env.proxies().publishUrl()).isEqualTo(URI.create("https://a.example/p"));
    assertThat(env.proxies().timeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(env.sessionsLocked()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://a.example/h", "/relative/path", "app.example.com/h", "https:///nohost", "http://a b/"})
  void aBadUrlStopsTheStartNamingTheSetting(String url) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--connect-proxy-url", url}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("PARLEY_CONNECT_PROXY_URL: ");
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_PUBLISH_PROXY_URL", url)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("PARLEY_PUBLISH_PROXY_URL: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://user:pw-77@a.example/h?key=k-88", "https://user:pw-77@/nohost?key=k-88",
      "http://user:pw-77@a b/?key=k-88", "user:pw-77@app.example.com/h?key=k-88"})
  void aBadUrlsUserInfoAndQueryAreNotShown(String url) {
    for (String setting : new String[] {"PARLEY_CONNECT_PROXY_URL", "PARLEY_PUBLISH_PROXY_URL", "PARLEY_WEBHOOK_URL"}) {
      java.util.Map<String, String> env = setting.equals("PARLEY_WEBHOOK_URL")
          ? Map.of(setting, url, "PARLEY_WEBHOOK_SECRET", "s3cret") : Map.of(setting, url);
      assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, env)).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(setting + ": ").hasMessageContaining("(hidden)")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-77").doesNotContain("k-88"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "9", "60001", "2s"})
  void aBadTimeoutStopsTheStart(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--proxy-timeout-ms", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_PROXY_TIMEOUT_MS: expected an integer from 10 to 60000, got \"" + value + "\"");
  }

  @Test
  void helpListsThem() {
    assertThat(ConfigParser.help()).contains("--connect-proxy-url", "PARLEY_CONNECT_PROXY_URL", "--publish-proxy-url",
        "PARLEY_PUBLISH_PROXY_URL", "--proxy-timeout-ms", "PARLEY_PROXY_TIMEOUT_MS");
  }
}
