package io.parley.sql;

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

/** Read positions (contract 1.1 {@code room.read}): forward only, never past the room, durable. */
interface ReadPositionContract extends StoreFixture {

  @Test
  default void aPositionStartsAtZeroAndOnlyMovesForward() {
    fill("lobby", 10);
    assertThat(store().readPosition("lobby", "ann")).isZero();
    assertThat(store().markRead("lobby", "ann", 4)).isEqualTo(new ReadMark(4, true, 10));
    assertThat(store().markRead("lobby", "ann", 2)).isEqualTo(new ReadMark(4, false, 10));
    assertThat(store().markRead("lobby", "ann", 4)).isEqualTo(new ReadMark(4, false, 10));
    assertThat(store().markRead("lobby", "ann", 10)).isEqualTo(new ReadMark(10, true, 10));
    assertThat(store().readPosition("lobby", "ann")).isEqualTo(10);
    assertThat(store().readPosition("lobby", "bob")).as("per user").isZero();
    assertThat(store().readPosition("other", "ann")).as("per room").isZero();
  }

  @Test
  default void aMarkPastTheRoomsLastSeqStoresNothing() {
    fill("lobby", 3);
    assertThat(store().markRead("lobby", "ann", 4)).isEqualTo(new ReadMark(0, false, 3));
    assertThat(store().markRead("nowhere", "ann", 1)).isEqualTo(new ReadMark(0, false, 0));
    assertThat(store().markRead("lobby", "ann", 0)).as("zero moves nothing").isEqualTo(new ReadMark(0, false, 3));
    assertThat(store().readPosition("lobby", "ann")).isZero();
  }

  @Test
  default void positionsSurviveAReopen() {
    fill("lobby", 5);
    store().markRead("lobby", "ann", 5);
    assertThat(reopen().readPosition("lobby", "ann")).isEqualTo(5);
  }

  @Test
  default void racingMarksOfOneUserEndAtTheHighest() throws Exception {
    fill("lobby", 40);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ReadMark>> marks = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        long seq = 5L * (i + 1);
        Callable<ReadMark> mark = () -> {
          start.await(10, TimeUnit.SECONDS);
          return store().markRead("lobby", "ann", seq);
        };
        marks.add(pool.submit(mark));
      }
      start.countDown();
      for (Future<ReadMark> f : marks) {
        assertThat(f.get(30, TimeUnit.SECONDS).position()).isBetween(5L, 40L);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store().readPosition("lobby", "ann")).isEqualTo(40);
  }
}
