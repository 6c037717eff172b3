package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.browser.RawHttp;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-address rate limit covers every route that does work: {@code GET} and
 * {@code POST /api/rooms/...} and WebSocket upgrades, one token each from the same bucket as
 * {@code POST /rpc}'s calls; past it a 429 with {@code Retry-After}. {@code /health} stays open.
 * Each test gets its own server (a fresh bucket): burst 5, then 1 per second.
 */
@Timeout(60)
class RouteRateLimitTest {
  private static final int BURST = 5;
  /** Far more requests than a bucket refilling at 1/s can let through while they are sent. */
  private static final int TRIES = 40;
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withSessionLimits(1, BURST,
        ServerConfig.DEFAULT_MAX_SESSIONS_PER_ADDRESS, ServerConfig.DEFAULT_MAX_ROOMS_PER_SESSION, 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void historyReadsAreLimited() {
    assertLimited(() -> status(server.get("/api/rooms/r/messages"), 200));
  }

  @Test
  void restPostsAreLimited() {
    assertLimited(() -> status(server.post("/api/rooms/r/messages", "{\"text\":\"hi\"}"), 201));
  }

  @Test
  void upgradesAreLimited() {
    assertLimited(() -> {
      RawHttp.Reply reply = upgrade();
      return reply.status() == 429 ? check429(reply.status(), reply.header("Retry-After"), reply.body()) : 101;
    });
  }

  @Test
  void routesShareTheAddressBucketAndHealthStaysOpen() {
    for (int i = 0; i < TRIES && server.get("/api/rooms/r/messages").statusCode() != 429; i++) {
      // spend the bucket
    }
    assertThat(upgrade().status()).as("an upgrade once /api spent the address's bucket").isEqualTo(429);
    for (int i = 0; i < BURST * 2; i++) {
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
  }

  /** The first BURST requests pass (a full bucket); sending on, a 429 comes. */
  private static void assertLimited(Supplier<Integer> request) {
    for (int i = 0; i < BURST; i++) {
      assertThat(request.get()).as("request %d of a full bucket of %d", i + 1, BURST).isNotEqualTo(429);
    }
    boolean refused = false;
    for (int i = 0; i < TRIES && !refused; i++) {
      refused = request.get() == 429;
    }
    assertThat(refused).as("a 429 within %d requests past the burst", TRIES).isTrue();
  }

  private static int status(HttpResponse<String> response, int ok) {
    if (response.statusCode() == 429) {
      return check429(429, response.headers().firstValue("Retry-After").orElse(null), response.body());
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(ok);
    return ok;
  }

  private static int check429(int status, String retryAfter, String body) {
    assertThat(retryAfter).as("Retry-After of a 429").isNotNull();
    assertThat(Integer.parseInt(retryAfter)).isPositive();
    assertThat(body).contains("\"status\":429").contains("retry in");
    return status;
  }

  private RawHttp.Reply upgrade() {
    return RawHttp.send(server.port(), "GET", "/ws", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
  }
}
