package io.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.server.config.ConfigException;
import io.parley.server.config.ConfigParser;
import io.parley.server.config.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limit settings: defaults, environment, flags and validation. */
@Timeout(10)
class LimitsConfigTest {

  @Test
  void defaults() throws ConfigException {
    ServerConfig c = ConfigParser.parse(new String[0], Map.of());
    assertThat(c.rateLimit()).isEqualTo(10_000);
    assertThat(c.rateBurst()).isEqualTo(20_000);
    assertThat(c.maxSessionsPerAddress()).isEqualTo(1000);
    assertThat(c.maxRoomsPerSession()).isEqualTo(100);
    assertThat(c.pingInterval()).isEqualTo(30);
  }

  @Test
  void environmentAndFlags() throws ConfigException {
    ServerConfig c = ConfigParser.parse(new String[] {"--rate-burst", "9", "--ping-interval", "0"},
        Map.of("PARLEY_RATE_LIMIT", "7", "PARLEY_RATE_BURST", "8", "PARLEY_MAX_SESSIONS_PER_ADDRESS", "3",
            "PARLEY_MAX_ROOMS_PER_SESSION", "4"));
    assertThat(c.rateLimit()).isEqualTo(7);
    assertThat(c.rateBurst()).isEqualTo(9);
    assertThat(c.maxSessionsPerAddress()).isEqualTo(3);
    assertThat(c.maxRoomsPerSession()).isEqualTo(4);
    assertThat(c.pingInterval()).isZero();
  }

  @Test
  void badValuesStopTheStart() {
    assertThatThrownBy(() -> ConfigParser.parse(new String[0], Map.of("PARLEY_RATE_LIMIT", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_RATE_LIMIT");
    assertThatThrownBy(() -> ConfigParser.parse(new String[0], Map.of("PARLEY_PING_INTERVAL", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_PING_INTERVAL");
    assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--max-rooms-per-session", "x"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_MAX_ROOMS_PER_SESSION");
  }

  @Test
  void helpListsTheSettings() {
    assertThat(ConfigParser.help()).contains("--rate-limit", "--rate-burst", "--max-sessions-per-address",
        "--max-rooms-per-session", "--ping-interval");
  }
}
