package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PARLEY_ALLOWED_HOSTS} / {@code --allowed-hosts}: parsed, checked, put in canonical form. */
@Timeout(10)
class ConfigParserAllowedHostsTest {
  private static final String[] NO_ARGS = {};

  @Test
  void noneBeyondTheDefaultsByDefault() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of()).allowedHosts()).isEmpty();
    assertThat(ServerConfig.defaults().allowedHosts()).isEmpty();
  }

  @Test
  void aCommaSeparatedListInCanonicalForm() throws ConfigException {
    ServerConfig config = ConfigParser.parse(NO_ARGS,
        Map.of("PARLEY_ALLOWED_HOSTS", " Chat.Example.com. , parley-a,[::2]"));
    assertThat(config.allowedHosts()).containsExactly("chat.example.com", "parley-a", "[::2]");
  }

  @Test
  void theFlagWinsOverTheVariable() throws ConfigException {
    ServerConfig config = ConfigParser.parse(new String[] {"--allowed-hosts", "*"},
        Map.of("PARLEY_ALLOWED_HOSTS", "chat.example.com"));
    assertThat(config.allowedHosts()).containsExactly("*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat.example.com:8080", "https://chat.example.com", "chat.example.com/x", "a b", "-bad.example"})
  void aBadEntryStopsTheStartWithOneClearLine(String entry) {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_ALLOWED_HOSTS", "ok.example," + entry)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLEY_ALLOWED_HOSTS: expected a host name like")
        .hasMessageContaining("got \"" + entry + "\"");
  }

  @Test
  void anEmptyEntryIsRefused() {
    assertThatThrownBy(() -> ConfigParser.parse(NO_ARGS, Map.of("PARLEY_ALLOWED_HOSTS", "a.example,,b.example")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("empty entry");
  }

  @Test
  void helpListsIt() {
    assertThat(ConfigParser.help()).contains("--allowed-hosts").contains("PARLEY_ALLOWED_HOSTS");
  }
}
