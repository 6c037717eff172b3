package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionState;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.server.auth.Tokens;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java SDK's token supplier against a real server in token mode, with 5-second tokens (the
 * server closes a session with 1008 once its token is past {@code exp} plus its 5 s leeway). For
 * 20 s a publisher sends to a room ten times a second; the subscriber, connected through a proxy,
 * is cut off once on the way. It must stay connected (one connection before the cut, one after:
 * no other reconnect, so no close for an expired token), refresh its token on the live session,
 * and see the room's seq run whole.
 */
@Timeout(120)
class TokenRefreshClientTest {
  private static final Duration RUN = Duration.ofSeconds(20);
  private static final Duration TOKEN_LIFE = Duration.ofSeconds(5);

  @Test
  void fiveSecondTokensKeepAClientConnectedAndReceivingFor20SecondsAcrossAReconnect() throws Exception {
    AtomicInteger tokensGiven = new AtomicInteger();
    Recorder recorder = new Recorder();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET));
        CutProxy proxy = new CutProxy(server.port());
        ParleyClient publisher = ParleyClient.builder().endpoint(server.wsUri()).token(Tokens.valid("pub")).build();
        ParleyClient subscriber = ParleyClient.builder().endpoint(proxy.wsUri())
            .tokenSupplier(() -> {
              tokensGiven.incrementAndGet();
              return CompletableFuture.completedFuture(Tokens.expiringIn("sub", TOKEN_LIFE));
            })
            .reconnect(ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(400)))
            .listener(recorder).build()) {
      get(publisher.connect());
      get(publisher.join("renewed"));
      get(subscriber.connect());
      JoinedRoom room = get(subscriber.join("renewed"));
      room.messages().subscribe(recorder);

      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Integer> published = new CompletableFuture<>();
      long end = System.nanoTime() + RUN.toNanos();
      timer.scheduleAtFixedRate(() -> {
        if (System.nanoTime() >= end) {
          published.complete(sent.get());
          return;
        }
        sent.incrementAndGet();
        publisher.send("renewed", "m" + sent.get()).exceptionally(e -> {
          published.completeExceptionally(e);
          return null;
        });
      }, 0, 100, TimeUnit.MILLISECONDS);
      timer.schedule(proxy::cut, RUN.dividedBy(2).toMillis(), TimeUnit.MILLISECONDS);

      int total = published.get(RUN.toSeconds() + 30, TimeUnit.SECONDS);
      timer.shutdownNow();
      recorder.awaitMessages(total);

      recorder.assertSeqRun(total);
      assertThat(total).as("messages over %s", RUN).isGreaterThan(50);
      assertThat(subscriber.state()).isEqualTo(ConnectionState.OPEN);
      assertThat(recorder.closeCodes).as("closes the client reconnected after").containsExactly(ConnectionClosedException.NO_CODE);
      assertThat(proxy.accepted()).as("connections: the first and the one after the cut").isEqualTo(2);
      assertThat(tokensGiven.get()).as("tokens: two connections and refreshes of the live sessions")
          .isGreaterThanOrEqualTo(2 + 4);
    } finally {
      timer.shutdownNow();
    }
  }
}
