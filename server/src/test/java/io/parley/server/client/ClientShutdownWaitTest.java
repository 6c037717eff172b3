package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionListener;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.protocol.CloseCodes;
import io.parley.protocol.CloseReasons;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SDK against a real restart: each client waits the time its 1001 close announced (at least
 * {@link ServerConfig#MIN_RESTART_WAIT_MS}, far above its own backoff here) before it comes back,
 * never sooner, and then works on the new server.
 */
@Timeout(60)
class ClientShutdownWaitTest {
  private static final int CLIENTS = 3;
  private static final int SPREAD_MS = 2_000;
  /** A backoff whose every delay (at most 300 ms) is shorter than any wait the server announces. */
  private static final ReconnectPolicy FAST = ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(300));

  /** The first reconnect a client announces, and when it is open again. */
  private static final class Watch implements ConnectionListener {
    final CompletableFuture<Long> reconnectingAt = new CompletableFuture<>();
    volatile Duration delay;
    volatile Throwable cause;
    final CompletableFuture<Long> reopenedAt = new CompletableFuture<>();

    @Override
    public void onReconnecting(int attempt, Duration delay, Throwable cause) {
      if (attempt == 1 && !reconnectingAt.isDone()) {
        this.delay = delay;
        this.cause = cause;
        reconnectingAt.complete(System.nanoTime());
      }
    }

    @Override
    public void onOpen(String user) {
      if (reconnectingAt.isDone()) {
        reopenedAt.complete(System.nanoTime());
      }
    }
  }

  @Test
  void eachClientComesBackNoSoonerThanItsAnnouncedWait() {
    TestServer server = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.toBuilder().restartSpreadMs(SPREAD_MS).build());
    List<ParleyClient> clients = new ArrayList<>();
    List<Watch> watches = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        Watch watch = new Watch();
        ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).name("w" + i).reconnect(FAST)
            .connectTimeout(Duration.ofSeconds(2)).callTimeout(Duration.ofSeconds(20)).listener(watch).build();
        clients.add(client);
        watches.add(watch);
        get(client.connect());
      }
      server = server.restartOnSamePort();
      for (Watch watch : watches) {
        long reopened = watch.reopenedAt.orTimeout(20, TimeUnit.SECONDS).join();
        long waited = TimeUnit.NANOSECONDS.toMillis(reopened - watch.reconnectingAt.join());
        assertThat(watch.cause).isInstanceOfSatisfying(ConnectionClosedException.class,
            c -> assertThat(c.code()).isEqualTo(CloseCodes.GOING_AWAY));
        long announced = CloseReasons.retryAfterMs(watch.cause.getMessage()).orElseThrow();
        assertThat(watch.delay).as("the first delay is the server's wait").isEqualTo(Duration.ofMillis(announced));
        assertThat(announced).isBetween((long) ServerConfig.MIN_RESTART_WAIT_MS, (long) SPREAD_MS);
        assertThat(waited).as("open again after " + waited + " ms, announced " + announced).isGreaterThanOrEqualTo(announced);
      }
      for (ParleyClient client : clients) {
        assertThat(get(client.join("after-restart")).name()).isEqualTo("after-restart");
      }
    } finally {
      clients.forEach(ParleyClient::close);
      server.close();
    }
  }
}
