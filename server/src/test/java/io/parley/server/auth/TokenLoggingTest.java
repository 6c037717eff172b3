package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.LogCapture;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Tokens and the secret never reach the log: not from the URL query of an upgrade, not from a
 * refused hello or Bearer header, not from the config summary. Parley's own loggers run at DEBUG
 * here so their quieter lines are checked too.
 */
@Timeout(60)
class TokenLoggingTest {

  @Test
  void noTokenNorSecretIsLogged() {
    Logger parley = (Logger) LoggerFactory.getLogger("io.parley");
    Level before = parley.getLevel();
    LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME);
    parley.setLevel(Level.DEBUG);
    String inQuery = Tokens.valid("quinn");
    String inHello = Tokens.wronglySigned("rita");
    String inHeader = Tokens.algNone("sam");
    String expiring = Tokens.valid("tess");
    try (TestServer server = TestServer.start(Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET))) {
      try (WsClient ws = WsClient.connect(URI.create(server.wsUri() + "?token=" + inQuery))) {
        TokenModeWebSocketTest.assertCode(ws.call("echo", "[1]"), -32001);
        TokenModeWebSocketTest.assertCode(ws.call("session.hello", TokenModeWebSocketTest.hello(inHello)), -32001);
        ws.result("session.hello", TokenModeWebSocketTest.hello(expiring));
      }
      try {
        WsClient.connect(server.wsUri(), Map.of("Authorization", "Bearer " + inHeader)).close();
      } catch (RuntimeException expected) {
        // refused with 401: that is the point
      }
      server.post("/api/rooms/log-room/messages?token=" + inQuery, "{\"text\":\"x\"}");
    } finally {
      log.close();
      parley.setLevel(before);
    }
    List<String> lines = log.events().stream()
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
        .collect(Collectors.toList());
    assertThat(lines).as("log lines").isNotEmpty();
    for (String secret : List.of(Tokens.SECRET, inQuery, inHello, inHeader, expiring, signature(inQuery),
        signature(inHello), signature(expiring))) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
    }
  }

  @Test
  void theConfigSummarySaysTokenModeWithoutTheSecret() {
    ServerConfig config = ServerConfig.defaults().withJwtSecret(Tokens.SECRET);
    assertThat(config.summary()).contains("token mode").doesNotContain(Tokens.SECRET);
    assertThat(config.toString()).contains("token mode").doesNotContain(Tokens.SECRET);
    assertThat(ServerConfig.defaults().summary()).contains("open mode");
  }

  private static String signature(String token) {
    return token.substring(token.lastIndexOf('.') + 1);
  }
}
