package io.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Message;
import io.parley.server.hub.Hub;
import io.parley.server.hub.LocalBroker;
import io.parley.server.ws.SessionRegistry;
import io.parley.sql.MessageStore;
import io.parley.sql.NewMessage;
import io.parley.sql.StoreSettings;
import io.parley.sql.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every send handed to the committer is answered, also one that races with {@link
 * GroupCommitter#drain}: it is either stored and acknowledged, or refused with {@code -32005};
 * none is left waiting. The race is narrow, so this runs many submitters across a drain and
 * requires every future to complete; it cannot force the interleaving on every run.
 */
@Timeout(60)
class GroupCommitterStopTest {
  private static final int SUBMITTERS = 8;

  @TempDir Path dir;

  @Test
  void everySendSubmittedAroundADrainIsAnswered() throws Exception {
    try (MessageStore store = Stores.open(StoreSettings.embedded(dir))) {
      for (int round = 0; round < 20; round++) {
        GroupCommitter committer =
            new GroupCommitter(store, new LocalBroker(new Hub(new SessionRegistry(), null, false)), new SimpleMeterRegistry());
        List<CompletableFuture<Message>> sends = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(SUBMITTERS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < SUBMITTERS; t++) {
          int k = t;
          int r = round;
          Thread thread = new Thread(() -> {
            started.countDown();
            for (int i = 0; i < 200; i++) {
              sends.add(committer.submit(new NewMessage("stop-" + r, "u" + k, "m" + i, null), null));
            }
          });
          threads.add(thread);
          thread.start();
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        committer.drain(10_000);
        for (Thread thread : threads) {
          thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (CompletableFuture<Message> send : List.copyOf(sends)) {
          try {
            assertThat(send.get(10, TimeUnit.SECONDS).seq()).isPositive();
          } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(RpcException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCodes.UNAVAILABLE));
          }
        }
      }
    }
  }
}
