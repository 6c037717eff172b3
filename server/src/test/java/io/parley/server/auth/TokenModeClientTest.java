package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.client.RpcErrorException;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.types.HelloResult;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java SDK, unchanged, in token mode: its {@code token} goes in {@code session.hello}. */
@Timeout(30)
class TokenModeClientTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theClientsTokenAuthenticatesItsSession() {
    try (ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).token(Tokens.valid("uma"))
        .reconnect(ReconnectPolicy.disabled()).callTimeout(Duration.ofSeconds(10)).build()) {
      HelloResult hello = get(client.connect());
      assertThat(hello.user()).isEqualTo("uma");
      get(client.join("client-room"));
      assertThat(get(client.send("client-room", "hi")).from()).isEqualTo("uma");
    }
  }

  @Test
  void aRefusedTokenFailsTheConnectWithUnauthorized() {
    try (ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).token(Tokens.expired("uma"))
        .reconnect(ReconnectPolicy.disabled()).callTimeout(Duration.ofSeconds(10)).build()) {
      assertThatThrownBy(() -> get(client.connect()))
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(RpcErrorException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
    }
  }

  private static <T> T get(CompletableFuture<T> future) {
    return future.orTimeout(10, TimeUnit.SECONDS).join();
  }
}
