package io.parley.sql;

import static io.parley.sql.StoreFixture.range;
import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many threads appending at once: every seq handed out exactly once, no deadlock. */
interface ConcurrencyContract extends StoreFixture {

  int THREADS = 8;

  @Test
  @Timeout(120)
  default void concurrentWritersOfOneRoomGetEverySeqExactlyOnce() throws Exception {
    int perThread = 250;
    int batchSize = 5;
    List<List<Long>> perWriter = runConcurrently(writer -> () -> {
      List<Long> mine = new ArrayList<>();
      for (int sent = 0; sent < perThread; sent += batchSize) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
          batch.add(msg("busy", "writer" + writer, "w" + writer + "-" + (sent + i)));
        }
        List<Long> seqs = store().append(batch).stream().map(a -> a.message().seq()).toList();
        assertThat(seqs).isEqualTo(range(seqs.get(0), seqs.get(0) + batchSize - 1));
        mine.addAll(seqs);
      }
      return mine;
    });
    List<Long> all = perWriter.stream().flatMap(List::stream).sorted().toList();
    assertThat(all).isEqualTo(range(1, THREADS * perThread));
    assertThat(perWriter).allSatisfy(mine -> assertThat(mine).isSorted());
    assertThat(store().lastSeq("busy")).isEqualTo(THREADS * perThread);
    assertThat(seqs(store().since("busy", 0, 5000, Long.MAX_VALUE).messages()))
        .isEqualTo(range(1, THREADS * perThread));
  }

  @Test
  @Timeout(120)
  default void batchesSpanningRoomsInOppositeOrdersDoNotDeadlock() throws Exception {
    int batches = 50;
    runConcurrently(writer -> () -> {
      for (int b = 0; b < batches; b++) {
        boolean xFirst = (writer + b) % 2 == 0;
        store().append(List.of(
            msg(xFirst ? "x" : "y", "w" + writer, "first"),
            msg(xFirst ? "y" : "x", "w" + writer, "second")));
      }
      return List.of();
    });
    for (String room : List.of("x", "y")) {
      assertThat(seqs(store().history(room, null, null, 500)))
          .isEqualTo(range(1, THREADS * batches));
    }
  }

  @Test
  @Timeout(60)
  default void concurrentResendsOfOneClientIdStoreItOnceEvenInANewRoom() throws Exception {
    List<List<Long>> results = runConcurrently(writer -> () -> {
      Appended a = appendOne(msg("fresh", "alice", "try " + writer, "same-id"));
      return List.of(a.message().seq(), a.duplicate() ? 1L : 0L);
    });
    assertThat(results).extracting(r -> r.get(0)).containsOnly(1L);
    assertThat(results).extracting(r -> r.get(1)).containsOnlyOnce(0L);
    assertThat(store().lastSeq("fresh")).isEqualTo(1);
  }

  /** Runs one task per writer, all released at once; returns their results in writer order. */
  private List<List<Long>> runConcurrently(WriterTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        Callable<List<Long>> body = task.forWriter(w);
        futures.add(pool.submit(() -> {
          if (!start.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("start signal not given");
          }
          return body.call();
        }));
      }
      start.countDown();
      List<List<Long>> results = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        results.add(f.get(90, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Makes the work of one writer thread. */
  interface WriterTask {
    Callable<List<Long>> forWriter(int writer);
  }
}
