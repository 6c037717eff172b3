package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.CloseCodes;
import io.parley.protocol.CloseReasons;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stop with many sessions open: every one is closed with 1001 and a reason that parses, and the
 * announced waits lie in the configured window and are spread over it (a restart must not bring
 * every client back in the same instant).
 */
@Timeout(60)
class ShutdownSpreadTest {
  private static final int SESSIONS = 20;
  private static final int SPREAD_MS = 8_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** What the server said when it closed one session. */
  private record Closed(int code, String reason) {}

  /** A WebSocket that records its first text frame and how it was closed. */
  private static final class Session implements WebSocket.Listener {
    final CompletableFuture<String> firstText = new CompletableFuture<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final WebSocket socket;

    Session(HttpClient http, URI uri) {
      socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, this)
          .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      firstText.complete(data.toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  @Test
  void everySessionIsToldItsOwnWaitWithinTheWindow() {
    TestServer server = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.toBuilder().restartSpreadMs(SPREAD_MS).build());
    HttpClient http = HttpClient.newHttpClient();
    List<Session> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < SESSIONS; i++) {
        Session session = new Session(http, server.wsUri());
        session.socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session.hello\",\"params\":{\"name\":\"s"
            + i + "\"}}", true);
        assertThat(session.firstText.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join())
            .as("hello answered").contains("\"result\"");
        sessions.add(session);
      }
    } finally {
      server.close();
    }

    List<Long> waits = new ArrayList<>();
    for (Session session : sessions) {
      Closed closed = session.closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
      assertThat(closed.code()).isEqualTo(CloseCodes.GOING_AWAY);
      assertThat(closed.reason()).startsWith("server shutting down; retryAfterMs=").endsWith("; recover with since");
      waits.add(CloseReasons.retryAfterMs(closed.reason()).orElseThrow());
    }
    LongSummaryStatistics stats = waits.stream().mapToLong(Long::longValue).summaryStatistics();
    assertThat(waits).as("waits announced").hasSize(SESSIONS)
        .allSatisfy(w -> assertThat(w).isBetween((long) ServerConfig.MIN_RESTART_WAIT_MS, (long) SPREAD_MS));
    assertThat(new HashSet<>(waits)).as("distinct waits in " + waits).hasSizeGreaterThanOrEqualTo(SESSIONS / 2);
    // 20 uniform draws span less than half the window with a chance of about 2 in 100,000.
    assertThat(stats.getMax() - stats.getMin()).as("span of " + waits)
        .isGreaterThan((SPREAD_MS - ServerConfig.MIN_RESTART_WAIT_MS) / 2L);
  }
}
