package io.parley.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.client.RpcErrorException;
import io.parley.protocol.ErrorCodes;
import io.parley.server.config.ProxySettings;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java SDK's credentials supplier (#18): asked before every connection, its JSON goes in
 * {@code session.hello} to the connect proxy; a refusal fails the connect with {@code -32006}.
 */
@Timeout(60)
class ClientCredentialsTest {
  private AppBackend backend;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    backend = new AppBackend(null);
    backend.onConnect(body -> {
      JsonObject credentials = body.get("credentials").isJsonObject() ? body.getAsJsonObject("credentials") : null;
      return credentials != null && credentials.has("ticket")
          ? AppBackend.Reply.ok("{\"user\":\"tess\"}")
          : AppBackend.Reply.refuse("no ticket");
    });
    server = TestServer.start(Store.EMBEDDED, cfg -> cfg.toBuilder()
        .proxies(ProxySettings.NONE.withConnect(backend.url("/connect"))).build());
  }

  @AfterEach
  void stop() {
    server.close();
    backend.close();
  }

  @Test
  void theSupplierIsAskedOnEveryHelloReconnectsIncluded() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    try (ParleyClient client = ParleyClient.builder().endpoint(server.wsUri())
        .credentialsSupplier(() -> CompletableFuture.supplyAsync(() -> "{\"ticket\":" + asked.incrementAndGet() + "}"))
        .callTimeout(Duration.ofSeconds(10)).build()) {
      assertThat(get(client.connect()).user()).isEqualTo("tess");
      get(client.join("lobby"));
      server = server.restartOnSamePort();
      assertThat(backend.await(() -> backend.received("/connect").size() >= 2, Duration.ofSeconds(30))).isTrue();
      assertThat(get(client.send("lobby", "back")).from()).isEqualTo("tess");
      List<AppBackend.Received> requests = backend.received("/connect");
      assertThat(requests.get(0).body().get("credentials").toString()).isEqualTo("{\"ticket\":1}");
      assertThat(requests.get(1).body().get("credentials").toString()).isEqualTo("{\"ticket\":2}");
    }
  }

  @Test
  void aReconnectsHelloTheBackendCouldNotAnswerIsRetriedNotGivenUp() {
    AtomicInteger calls = new AtomicInteger();
    backend.onConnect(body -> calls.incrementAndGet() == 2 ? new AppBackend.Reply(503, "", 0, false)
        : AppBackend.Reply.ok("{\"user\":\"tess\"}"));
    try (ParleyClient client = ParleyClient.builder().endpoint(server.wsUri())
        .credentialsSupplier(() -> CompletableFuture.completedFuture("{\"ticket\":1}"))
        .callTimeout(Duration.ofSeconds(20)).build()) {
      assertThat(get(client.connect()).user()).isEqualTo("tess");
      get(client.join("lobby"));
      server = server.restartOnSamePort(); // the first hello after it is answered -32005, the next admitted
      assertThat(get(client.send("lobby", "back")).from()).isEqualTo("tess");
      assertThat(calls.get()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aRefusalFailsTheConnectWithRejectedAndItsReason() {
    try (ParleyClient client = ParleyClient.builder().endpoint(server.wsUri())
        .credentialsSupplier(() -> CompletableFuture.completedFuture("\"not a ticket\""))
        .reconnect(ReconnectPolicy.disabled()).callTimeout(Duration.ofSeconds(10)).build()) {
      assertThatThrownBy(() -> get(client.connect())).isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.REJECTED);
            assertThat(e.data()).isEqualTo("{\"reason\":\"no ticket\"}");
          });
    }
  }

  private static <T> T get(CompletableFuture<T> future) {
    return future.orTimeout(20, TimeUnit.SECONDS).join();
  }
}
