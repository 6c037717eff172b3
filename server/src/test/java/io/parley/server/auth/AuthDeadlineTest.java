package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.CloseCodes;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import io.parley.server.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The authentication deadline, cut from the contract's 10 s to 1 s through
 * {@code ServerConfig.withAuthTimeout} so the test stays short.
 */
@Timeout(30)
class AuthDeadlineTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Store.EMBEDDED,
        cfg -> cfg.withJwtSecret(Tokens.SECRET).withAuthTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSessionThatNeverAuthenticatesIsClosedWith1008() {
    try (WsClient ws = server.connect()) {
      assertThat(ws.awaitClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
  }

  @Test
  void aFailedHelloDoesNotBuyTime() {
    try (WsClient ws = server.connect()) {
      ws.call("session.hello", TokenModeWebSocketTest.hello(Tokens.expired("ivy")));
      assertThat(ws.awaitClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
  }

  @Test
  void anAuthenticatedSessionOutlivesTheDeadline() {
    try (WsClient ws = server.connect(); WsClient probe = server.connect()) {
      ws.result("session.hello", TokenModeWebSocketTest.hello(Tokens.valid("jay")));
      assertThat(probe.awaitClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(ws.call("echo", "[2]").get("result").toString()).isEqualTo("[2]");
      assertThat(ws.isClosed()).isFalse();
    }
  }
}
