package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PARLEY_WEBHOOK_URL} + {@code PARLEY_WEBHOOK_SECRET} (both, or neither) and {@code
 * PARLEY_WEBHOOK_MAX_AGE_S} (#18): the URL is checked at start, the secret never printed.
 */
@Timeout(10)
class ConfigParserWebhooksTest {
  private static final String[] NO_ARGS = {};
  private static final String SECRET = "s3cret-that-must-not-show";

  @Test
  void offByDefault() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of()).webhooks()).isNull();
  }

  @Test
  void urlAndSecretTurnThemOnAndTheSecretIsNeverPrinted() throws ConfigException {
    ServerConfig config = ConfigParser.parse(new String[] {"--webhook-secret", SECRET, "--webhook-max-age-s", "60"},
        Map.of("PARLEY_WEBHOOK_URL", "https://user:pw@app.example.com:8443/parley/events?key=k"));
    WebhookSettings hooks = config.webhooks();
    assertThat(hooks.url().toString()).isEqualTo("https://user:pw@app.example.com:8443/parley/events?key=k");
    assertThat(hooks.secret()).isEqualTo(SECRET);
    assertThat(hooks.maxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.summary()).contains("webhooks=https://app.example.com:8443/parley/events maxAge=60s")
        .doesNotContain(SECRET).doesNotContain("pw").doesNotContain("key=k");
    assertThat(config.toString() + hooks).doesNotContain(SECRET);
    assertThat(config.toBuilder().build().webhooks()).isEqualTo(hooks);
    ServerConfig env = ConfigParser.parse(NO_ARGS,
        Map.of("PARLEY_WEBHOOK_URL", "http://127.0.0.1:9000/h", "PARLEY_WEBHOOK_SECRET", SECRET));
    assertThat(env.webhooks().maxAge()).isEqualTo(WebhookSettings.DEFAULT_MAX_AGE);
  }

  @Test
  void oneWithoutTheOtherStopsTheStart() {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_WEBHOOK_URL", "https://a.example/h")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("webhooks need both PARLEY_WEBHOOK_URL and PARLEY_WEBHOOK_SECRET; only PARLEY_WEBHOOK_URL is set");
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_WEBHOOK_SECRET", SECRET)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only PARLEY_WEBHOOK_SECRET is set")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://a.example/h", "/relative/path", "app.example.com/h", "https:///nohost", "http://a b/",
      "mailto:x@a.example"})
  void aBadUrlStopsTheStart(String url) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--webhook-url", url, "--webhook-secret", SECRET},
        Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLEY_WEBHOOK_URL: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "2592001", "1h"})
  void aMaxAgeOutOfRangeStopsTheStart(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--webhook-max-age-s", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_WEBHOOK_MAX_AGE_S: expected an integer from 1 to 2592000, got \"" + value + "\"");
  }

  @Test
  void helpListsTheSettings() {
    assertThat(ConfigParser.help()).contains("--webhook-url", "PARLEY_WEBHOOK_URL", "--webhook-secret",
        "PARLEY_WEBHOOK_SECRET", "--webhook-max-age-s", "PARLEY_WEBHOOK_MAX_AGE_S");
  }
}
