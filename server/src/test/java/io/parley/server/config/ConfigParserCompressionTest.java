package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PARLEY_COMPRESSION} / {@code --compression}: {@code on} (the default) or {@code off}. */
@Timeout(10)
class ConfigParserCompressionTest {
  private static final String[] NO_ARGS = {};

  @Test
  void onByDefault() throws ConfigException {
    ServerConfig config = ConfigParser.parse(NO_ARGS, Map.of());
    assertThat(config.compression()).isTrue();
    assertThat(config.summary()).contains("compression=on");
  }

  @Test
  void fromTheEnvironmentInAnyCaseAndTheFlagWins() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of("PARLEY_COMPRESSION", "OFF")).compression()).isFalse();
    ServerConfig flag = ConfigParser.parse(new String[] {"--compression", "on"}, Map.of("PARLEY_COMPRESSION", "off"));
    assertThat(flag.compression()).isTrue();
    ServerConfig off = ConfigParser.parse(new String[] {"--compression", " off "}, Map.of());
    assertThat(off.compression()).isFalse();
    assertThat(off.summary()).contains("compression=off");
    assertThat(off.toBuilder().build().compression()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "yes", "1", "deflate", ""})
  void anythingElseStopsTheStart(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--compression", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_COMPRESSION: expected on or off, got \"" + value + "\"");
  }

  @Test
  void helpListsIt() {
    assertThat(ConfigParser.help()).contains("--compression", "PARLEY_COMPRESSION");
  }
}
