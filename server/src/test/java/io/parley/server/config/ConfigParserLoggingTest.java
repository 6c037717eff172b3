package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.server.config.ServerConfig.LogFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PARLEY_LOG_LEVEL} / {@code --log-level}, {@code PARLEY_LOG_FORMAT} / {@code --log-format}, {@code --version}. */
@Timeout(10)
class ConfigParserLoggingTest {
  private static final String[] NO_ARGS = {};

  @Test
  void infoAndTextByDefault() throws ConfigException {
    ServerConfig config = ConfigParser.parse(NO_ARGS, Map.of());
    assertThat(config.logLevel()).isEqualTo("INFO");
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(config.summary()).contains("log=INFO/text");
  }

  @Test
  void fromTheEnvironmentInAnyCaseAndTheFlagWins() throws ConfigException {
    ServerConfig env = ConfigParser.parse(NO_ARGS, Map.of("PARLEY_LOG_LEVEL", "debug", "PARLEY_LOG_FORMAT", "JSON"));
    assertThat(env.logLevel()).isEqualTo("DEBUG");
    assertThat(env.logFormat()).isEqualTo(LogFormat.JSON);
    ServerConfig flags = ConfigParser.parse(new String[] {"--log-level", "Warn", "--log-format", "text"},
        Map.of("PARLEY_LOG_LEVEL", "debug", "PARLEY_LOG_FORMAT", "json"));
    assertThat(flags.logLevel()).isEqualTo("WARN");
    assertThat(flags.logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xml", "logfmt", "jsonl", ""})
  void anUnknownFormatStopsTheStart(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--log-format", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_LOG_FORMAT: expected text or json, got \"" + value + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"verbose", "all", "off", "fatal", ""})
  void anUnknownLevelStopsTheStart(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--log-level", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_LOG_LEVEL: expected trace, debug, info, warn or error, got \"" + value + "\"");
  }

  @Test
  void helpListsTheLogSettingsAndVersion() {
    assertThat(ConfigParser.help()).contains("PARLEY_LOG_LEVEL", "--log-level", "PARLEY_LOG_FORMAT", "--log-format",
        "--version");
    assertThat(ConfigParser.wantsVersion(new String[] {"--version"})).isTrue();
    assertThat(ConfigParser.wantsVersion(NO_ARGS)).isFalse();
  }
}
