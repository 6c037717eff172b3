package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.server.config.ConfigException;
import io.parley.server.config.ConfigParser;
import io.parley.server.config.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code PARLEY_JWT_SECRET} / {@code --jwt-secret}: token mode on, at least 32 bytes, never echoed. */
@Timeout(10)
class JwtSecretConfigTest {

  @Test
  void unsetMeansOpenMode() throws Exception {
    ServerConfig config = ConfigParser.parse(new String[0], Map.of());
    assertThat(config.jwtSecret()).isNull();
    assertThat(config.tokenMode()).isFalse();
    assertThat(config.authTimeout()).isEqualTo(ServerConfig.DEFAULT_AUTH_TIMEOUT);
  }

  @Test
  void theVariableOrTheFlagTurnsTokenModeOn() throws Exception {
    assertThat(ConfigParser.parse(new String[0], Map.of("PARLEY_JWT_SECRET", Tokens.SECRET)).jwtSecret())
        .isEqualTo(Tokens.SECRET);
    ServerConfig config = ConfigParser.parse(new String[] {"--jwt-secret", Tokens.OTHER_SECRET},
        Map.of("PARLEY_JWT_SECRET", Tokens.SECRET));
    assertThat(config.jwtSecret()).isEqualTo(Tokens.OTHER_SECRET);
    assertThat(config.tokenMode()).isTrue();
    assertThat(config.withPort(1).withNats("nats://x:4222", "n1").withAllowedOrigins(java.util.List.of("*"))
        .jwtSecret()).isEqualTo(Tokens.OTHER_SECRET);
    assertThat(ConfigParser.help()).contains("--jwt-secret").contains("PARLEY_JWT_SECRET");
  }

  @Test
  void aShortSecretStopsTheStartWithoutEchoingIt() {
    String shortSecret = "only-31-bytes-long-secret-value";
    assertThat(shortSecret.length()).isEqualTo(31);
    assertThatThrownBy(() -> ConfigParser.parse(new String[0], Map.of("PARLEY_JWT_SECRET", shortSecret)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at least 32 bytes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(shortSecret));
    assertThatThrownBy(() -> ServerConfig.defaults().withJwtSecret("short"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
