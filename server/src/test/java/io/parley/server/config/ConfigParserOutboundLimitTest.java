package io.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PARLEY_OUTBOUND_LIMIT} / {@code --outbound-limit}: bytes, 64 KiB to 4 GiB, default 4 MiB. */
@Timeout(10)
class ConfigParserOutboundLimitTest {
  private static final String[] NO_ARGS = {};

  @Test
  void fourMebibytesByDefault() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of()).outboundLimit()).isEqualTo(4L * 1024 * 1024);
  }

  @Test
  void fromTheEnvironmentAndTheFlagWins() throws ConfigException {
    assertThat(ConfigParser.parse(NO_ARGS, Map.of("PARLEY_OUTBOUND_LIMIT", "65536")).outboundLimit()).isEqualTo(65_536);
    assertThat(ConfigParser.parse(new String[] {"--outbound-limit", "4294967296"}, Map.of("PARLEY_OUTBOUND_LIMIT", "70000"))
        .outboundLimit()).isEqualTo(4_294_967_296L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"65535", "0", "-1", "4294967297", "4MiB", ""})
  void valuesOutOfRangeStopTheStart(String value) {
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--outbound-limit", value}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLEY_OUTBOUND_LIMIT: expected an integer from 65536 to 4294967296, got");
  }
}
