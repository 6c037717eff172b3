package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PARLEY_RESTART_SPREAD} / {@code --restart-spread}: milliseconds, 500 to 60000, default 5000. */
@Timeout(10)
class ConfigParserRestartSpreadTest {
  private static final String[] NO_ARGS = {};

  @Test
  void fiveSecondsByDefault() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of()).restartSpreadMs()).isEqualTo(5_000);
    assertThat(ServerConfig.defaults().restartSpreadMs()).isEqualTo(ServerConfig.DEFAULT_RESTART_SPREAD_MS);
  }

  @Test
  void fromTheEnvironmentAndTheFlagWins() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of("PARLEY_RESTART_SPREAD", "500")).restartSpreadMs()).isEqualTo(500);
    assertThat(ConfigParser.parse(new String[] {"--restart-spread", "60000"}, Map.of("PARLEY_RESTART_SPREAD", "900"))
        .restartSpreadMs()).isEqualTo(60_000);
    assertThat(ServerConfig.defaults().toBuilder().restartSpreadMs(1234).build().restartSpreadMs()).isEqualTo(1234);
  }

  @ParameterizedTest
  @ValueSource(strings = {"499", "0", "-1", "60001", "5s", "5000ms", "1e4", ""})
  void valuesOutsideTheWindowStopTheStartWithTheRange(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--restart-spread", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_RESTART_SPREAD: expected an integer from 500 to 60000, got \"" + value + "\"");
  }

  @Test
  void theRecordRefusesThemToo() {
    assertThatThrownBy(() -> ServerConfig.defaults().toBuilder().restartSpreadMs(100).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restartSpreadMs");
  }

  @Test
  void helpAndSummaryMentionIt() {
    assertThat(ConfigParser.help()).contains("--restart-spread", "PARLEY_RESTART_SPREAD");
    assertThat(ServerConfig.defaults().summary()).contains("restartSpread=5000ms");
  }
}
