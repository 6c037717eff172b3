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

  private static CompletableFuture<BackendClient.Answer> post(BackendClient client, AppBackend backend) {
    return client.post("the test backend", backend.url("/publish"), new JsonObject());
  }
}
