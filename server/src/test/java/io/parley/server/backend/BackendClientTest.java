package io.parley.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounds of {@link BackendClient} against a real backend on loopback that holds its answers:
 * at most N requests in flight, M more waiting, the rest refused at once, and a waiting call's
 * timeout running while it waits.
 */
@Timeout(30)
class BackendClientTest {

  @Test
  void callsBeyondTheBoundWaitAndBeyondTheQueueAreRefusedAtOnce() throws Exception {
    try (AppBackend backend = new AppBackend(null);
        BackendClient client = new BackendClient(Duration.ofSeconds(5), null, Clock.systemUTC(), 2, 1)) {
      backend.onPublish(body -> AppBackend.Reply.held(AppBackend.Reply.ok("{}")));
      CompletableFuture<BackendClient.Answer> first = post(client, backend);
      CompletableFuture<BackendClient.Answer> second = post(client, backend);
      assertThat(backend.await(() -> backend.received("/publish").size() == 2, Duration.ofSeconds(10))).isTrue();
      CompletableFuture<BackendClient.Answer> third = post(client, backend); // waits for a place
      CompletableFuture<BackendClient.Answer> fourth = post(client, backend); // no place to wait in
      assertThat(fourth).isCompletedExceptionally();
      assertThatThrownBy(fourth::join).isInstanceOf(CompletionException.class).cause()
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.UNAVAILABLE);
            assertThat(e.getMessage()).contains("too many calls waiting");
          });
      assertThat(backend.received("/publish")).hasSize(2);
      backend.release();
      for (CompletableFuture<BackendClient.Answer> call : java.util.List.of(first, second, third)) {
        assertThat(call.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(backend.received("/publish")).hasSize(3);
    }
  }

  @Test
  void callsWithinAnotherBudgetTakeNoneOfTheClientsOwnPlaces() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    try (AppBackend backend = new AppBackend(null);
        BackendClient client = new BackendClient(Duration.ofSeconds(10), null, Clock.systemUTC(), 1, 0)) {
      backend.onPublish(body -> body.has("held") ? AppBackend.Reply.heldBy(gate, AppBackend.Reply.ok("{}"))
          : AppBackend.Reply.ok("{}"));
      BackendClient.Budget other = new BackendClient.Budget(1, 0);
      JsonObject held = new JsonObject();
      held.addProperty("held", true);
      CompletableFuture<BackendClient.Answer> first = client.post(other, "the other proxy", backend.url("/publish"), held);
      CompletableFuture<BackendClient.Answer> full = client.post(other, "the other proxy", backend.url("/publish"), held);
      assertThat(full).isCompletedExceptionally(); // the other budget is full...
      assertThat(post(client, backend).get(10, TimeUnit.SECONDS).status()).isEqualTo(200); // ...the client's is not
      gate.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void aCallWaitingForAPlaceTimesOutLikeAnyOther() throws Exception {
    try (AppBackend backend = new AppBackend(null);
        BackendClient client = new BackendClient(Duration.ofMillis(300), null, Clock.systemUTC(), 1, 10)) {
      backend.onPublish(body -> AppBackend.Reply.held(AppBackend.Reply.ok("{}")));
      CompletableFuture<BackendClient.Answer> held = post(client, backend);
      CompletableFuture<BackendClient.Answer> waiting = post(client, backend);
      for (CompletableFuture<BackendClient.Answer> call : java.util.List.of(held, waiting)) {
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
            .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAVAILABLE));
      }
      backend.release();
      // The place is given back once the held requests end (the waiting one may have been sent
      // in its last moments, and timed out too): the next call gets through.
      backend.onPublish(body -> AppBackend.Reply.ok("{}"));
      assertThat(backend.await(() -> backend.answered() == backend.received("/publish").size(),
          Duration.ofSeconds(10))).isTrue();
      assertThat(post(client, backend).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void aBackendThatStallsAfterItsHeadersTimesOutAndGivesItsPlaceBack() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    try (RawBackend raw = new RawBackend(exchange -> {
          exchange.sendResponseHeaders(200, 100); // 100 bytes promised, one sent, then nothing
          exchange.getResponseBody().write('{');
          exchange.getResponseBody().flush();
          gate.await(30, TimeUnit.SECONDS);
        });
        AppBackend backend = new AppBackend(null);
        BackendClient client = new BackendClient(Duration.ofMillis(300), null, Clock.systemUTC(), 1, 0)) {
      assertThatThrownBy(() -> client.post("the test backend", raw.url(), new JsonObject()).get(10, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.UNAVAILABLE);
            assertThat(e.getMessage()).contains("did not answer within");
          });
      // Its one place is free again although the backend still holds the body.
      assertThat(post(client, backend).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void anAnswerWithoutEndIsCutAt64KiBAndRefusedBeforeTheTimeout() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    try (RawBackend raw = new RawBackend(exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, and it never ends (until the test is over)
          byte[] spaces = new byte[8192];
          java.util.Arrays.fill(spaces, (byte) ' ');
          try {
            while (gate.getCount() > 0) {
              exchange.getResponseBody().write(spaces);
            }
          } catch (java.io.IOException dropped) {
            // the client stopped reading: what is tested
          }
        });
        BackendClient client = new BackendClient(Duration.ofSeconds(20), null, Clock.systemUTC())) {
      assertThatThrownBy(() -> client.post("the test backend", raw.url(), new JsonObject()).get(15, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.UNAVAILABLE);
            assertThat(e.getMessage()).contains("more than " + BackendClient.MAX_ANSWER_BYTES + " bytes");
          });
    } finally {
      gate.countDown();
    }
  }

  /** A backend on loopback whose one endpoint does what the test says with the raw exchange. */
  private static final class RawBackend implements AutoCloseable {
    interface Handler {
      void handle(com.sun.net.httpserver.HttpExchange exchange) throws Exception;
    }

    private final com.sun.net.httpserver.HttpServer server;
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);

    RawBackend(Handler handler) throws java.io.IOException {
      server = com.sun.net.httpserver.HttpServer.create(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
      server.createContext("/raw", exchange -> {
        try {
          exchange.getRequestBody().readAllBytes();
          handler.handle(exchange);
        } catch (Exception e) {
          // the client went away
        } finally {
          exchange.close();
        }
      });
      server.setExecutor(threads);
      server.start();
    }

    java.net.URI url() {
      return java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/raw");
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  @Test
  void closingAnswersTheCallsUnderWayWithMinus32005() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    try (AppBackend backend = new AppBackend(null)) {
      backend.onPublish(body -> AppBackend.Reply.heldBy(gate, AppBackend.Reply.ok("{}")));
      BackendClient client = new BackendClient(Duration.ofSeconds(20), null, Clock.systemUTC(), 1, 10);
      CompletableFuture<BackendClient.Answer> inFlight = post(client, backend);
      CompletableFuture<BackendClient.Answer> waiting = post(client, backend);
      assertThat(backend.await(() -> backend.received("/publish").size() == 1, Duration.ofSeconds(10))).isTrue();
      client.close();
      for (CompletableFuture<BackendClient.Answer> call : java.util.List.of(inFlight, waiting, post(client, backend))) {
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.code()).isEqualTo(ErrorCodes.UNAVAILABLE);
              assertThat(e.getMessage()).contains("stopping");
            });
      }
    } finally {
      gate.countDown();
    }
  }

  private static CompletableFuture<BackendClient.Answer> post(BackendClient client, AppBackend backend) {
    return client.post("the test backend", backend.url("/publish"), new JsonObject());
  }
}
