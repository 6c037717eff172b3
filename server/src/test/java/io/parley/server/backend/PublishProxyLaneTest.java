package io.parley.server.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Message;
import io.parley.server.chat.TextRule;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.Transport;
import io.parley.sql.NewMessage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One session's lane in one room behind a first answer that is held (review of #18, item 1): the
 * lane is handed on in a loop, not by nested callbacks (a long lane overflowed the stack and left
 * sends pending for ever), in the order sent, and holds at most {@link PublishProxy#MAX_PER_LANE}
 * sends; the rest are answered -32005 at once and never reach the backend. Against a real backend
 * on loopback; the store is a function that records the order it was called in.
 */
@Timeout(60)
class PublishProxyLaneTest {
  private static final java.util.function.Supplier<CompletableFuture<io.parley.server.chat.SendVetting.Prior>> NO_PRIOR =
      () -> CompletableFuture.completedFuture(io.parley.server.chat.SendVetting.Prior.NONE);

  @Test
  void aLongLaneBehindAHeldFirstAnswerIsHandedOnInOrderAndItsOverflowIsRefusedAtOnce() throws Exception {
    int sends = 2 * PublishProxy.MAX_PER_LANE;
    CountDownLatch gate = new CountDownLatch(1);
    try (AppBackend backend = new AppBackend(null);
        BackendClient client = new BackendClient(Duration.ofSeconds(30), null, Clock.systemUTC())) {
      backend.onPublish(body -> "0".equals(body.get("text").getAsString())
          ? AppBackend.Reply.heldBy(gate, AppBackend.Reply.ok("{}")) : AppBackend.Reply.ok("{}"));
      PublishProxy proxy = new PublishProxy(client, backend.url("/publish"), new TextRule(1_000));
      ClientSession session = new ClientSession("s1", "ann", new Silent(), 1 << 20);
      List<String> storedOrder = java.util.Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<Message>> results = new ArrayList<>();
      for (int i = 0; i < sends; i++) {
        results.add(proxy.vet(new NewMessage("lane", "ann", Integer.toString(i), null), session, NO_PRIOR, vetted -> {
          storedOrder.add(vetted.text());
          return CompletableFuture.completedFuture(new Message("lane", storedOrder.size(), "ann", vetted.text(),
              "2026-01-01T00:00:00Z", null, null, null, null, null));
        }));
      }
      // Past the lane's bound: -32005 at once, the backend never asked.
      for (int i = PublishProxy.MAX_PER_LANE; i < sends; i++) {
        CompletableFuture<Message> refused = results.get(i);
        assertThat(refused).isCompletedExceptionally();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, refused::get);
        assertThat(((RpcException) e.getCause()).code()).isEqualTo(ErrorCodes.UNAVAILABLE);
      }
      // Every send in the lane reached the backend; all but the first were answered, and wait for it.
      assertThat(backend.await(() -> backend.received("/publish").size() == PublishProxy.MAX_PER_LANE
          && backend.answered() == PublishProxy.MAX_PER_LANE - 1, Duration.ofSeconds(30))).isTrue();
      assertThat(storedOrder).isEmpty();
      gate.countDown();
      for (int i = 0; i < PublishProxy.MAX_PER_LANE; i++) {
        assertThat(results.get(i).get(30, TimeUnit.SECONDS).text()).isEqualTo(Integer.toString(i));
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < PublishProxy.MAX_PER_LANE; i++) {
        expected.add(Integer.toString(i));
      }
      assertThat(storedOrder).containsExactlyElementsOf(expected);
      // The lane is gone and a new send goes through.
      gate.countDown();
      assertThat(proxy.vet(new NewMessage("lane", "ann", "after", null), session, NO_PRIOR,
          vetted -> CompletableFuture.completedFuture(new Message("lane", 0, "ann", vetted.text(),
              "2026-01-01T00:00:00Z", null, null, null, null, null))).get(30, TimeUnit.SECONDS).text())
          .isEqualTo("after");
    }
  }

  /** A transport that writes nothing: the session is only a lane's key here. */
  private static final class Silent implements Transport {
    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      done.sent();
    }

    @Override
    public void close(int code, String reason) {}
  }
}
