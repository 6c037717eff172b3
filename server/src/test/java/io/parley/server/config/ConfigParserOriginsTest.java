package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code PARLEY_ALLOWED_ORIGINS} / {@code --allowed-origins}: parsed, checked, put in canonical form. */
@Timeout(10)
class ConfigParserOriginsTest {
  private static final String[] NO_ARGS = {};

  @Test
  void noneBeyondTheSameOriginByDefault() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of()).allowedOrigins()).isEmpty();
    assertThat(ServerConfig.defaults().allowedOrigins()).isEmpty();
  }

  @Test
  void aCommaSeparatedListFromTheEnvironmentInCanonicalForm() throws ConfigException {
    ServerConfig config = ConfigParser.parse(NO_ARGS,
        Map.of("PARLEY_ALLOWED_ORIGINS", " https://App.Example.com:443 , http://localhost:3000"));
    assertThat(config.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
  }

  @Test
  void theFlagWinsOverTheVariable() throws ConfigException {
    ServerConfig config = ConfigParser.parse(new String[] {"--allowed-origins", "*"},
        Map.of("PARLEY_ALLOWED_ORIGINS", "https://app.example.com"));
    assertThat(config.allowedOrigins()).containsExactly("*");
  }

  @Test
  void aBadEntryStopsTheStartWithOneClearLine() {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS,
        Map.of("PARLEY_ALLOWED_ORIGINS", "https://app.example.com,https://other.example.com/chat")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLEY_ALLOWED_ORIGINS: expected an origin like")
        .hasMessageContaining("got \"https://other.example.com/chat\"")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--allowed-origins", "app.example.com"}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("got \"app.example.com\"");
  }

  @Test
  void anEmptyEntryIsAMistake() {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS,
        Map.of("PARLEY_ALLOWED_ORIGINS", "https://app.example.com,,http://localhost:3000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("empty entry");
  }

  @Test
  void helpListsTheSetting() {
    assertThat(ConfigParser.help()).contains("--allowed-origins", "PARLEY_ALLOWED_ORIGINS");
  }

  @Test
  void theSummaryShowsAListedOrigin() {
    assertThat(ServerConfig.defaults().withAllowedOrigins(java.util.List.of("https://app.example.com")).summary())
        .contains("allowedOrigins=https://app.example.com");
  }
}
