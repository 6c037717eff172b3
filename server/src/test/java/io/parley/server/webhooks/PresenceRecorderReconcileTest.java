package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.sql.PresenceLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recorder's reconcile (review of #18, item 14), against a ledger that records its calls: the
 * changes queued before the snapshot are in it and are not replayed after it (a queued leave and
 * join wrote a spurious vacated/occupied pair), and a queue that overflows while a reconcile is
 * under way gets a reconcile of its own (its dropped changes are not in the first snapshot).
 */
@Timeout(60)
class PresenceRecorderReconcileTest {

  @Test
  void changesQueuedBeforeTheSnapshotAreNotReplayedAfterIt() throws Exception {
    RecordingLedger ledger = new RecordingLedger(new CountDownLatch(0));
    PresenceRecorder recorder = new PresenceRecorder(ledger, "n1", Clock.systemUTC(), new SimpleMeterRegistry());
    try {
      recorder.occupied("a");
      recorder.vacated("a");
      recorder.occupied("a");
      recorder.start(); // the first thing written is a reconcile
      assertThat(ledger.await(() -> ledger.reconciles().size() == 1)).isTrue();
      assertThat(ledger.reconciles().get(0)).containsExactly(PresenceLedger.Key.room("a"));
      recorder.occupied("b"); // a marker: the next batch written
      assertThat(ledger.await(() -> !ledger.applies().isEmpty())).isTrue();
      assertThat(ledger.applies().get(0)).extracting(PresenceLedger.Change::key)
          .containsExactly(PresenceLedger.Key.room("b"));
    } finally {
      recorder.close();
    }
  }

  @Test
  void aQueueThatOverflowsDuringAReconcileIsReconciledAgain() throws Exception {
    CountDownLatch holdFirst = new CountDownLatch(1);
    RecordingLedger ledger = new RecordingLedger(holdFirst);
    PresenceRecorder recorder = new PresenceRecorder(ledger, "n1", Clock.systemUTC(), new SimpleMeterRegistry());
    try {
      recorder.start();
      assertThat(ledger.entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i <= PresenceRecorder.MAX_QUEUED; i++) {
        if (i % 2 == 0) {
          recorder.occupied("r");
        } else {
          recorder.vacated("r");
        }
      }
      recorder.occupied("last");
      holdFirst.countDown();
      assertThat(ledger.await(() -> ledger.reconciles().size() >= 2)).isTrue();
      assertThat(ledger.reconciles().get(1)).contains(PresenceLedger.Key.room("last"));
    } finally {
      holdFirst.countDown();
      recorder.close();
    }
  }

  /** Records reconciles and batches; the first reconcile waits for {@code holdFirst}. */
  private static final class RecordingLedger implements PresenceLedger {
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch holdFirst;
    private final List<Set<Key>> reconciles = new ArrayList<>();
    private final List<List<Change>> applies = new ArrayList<>();

    RecordingLedger(CountDownLatch holdFirst) {
      this.holdFirst = holdFirst;
    }

    synchronized List<Set<Key>> reconciles() {
      return List.copyOf(reconciles);
    }

    synchronized List<List<Change>> applies() {
      return List.copyOf(applies);
    }

    synchronized boolean await(BooleanSupplier done) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }

    @Override
    public synchronized Applied apply(String node, List<Change> changes) {
      applies.add(List.copyOf(changes));
      notifyAll();
      return new Applied(List.of(), false);
    }

    @Override
    public List<Written> reconcile(String node, Set<Key> present, Instant at) {
      entered.countDown();
      try {
        holdFirst.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        reconciles.add(Set.copyOf(present));
        notifyAll();
      }
      return List.of();
    }

    @Override
    public boolean renew(String node) {
      return true;
    }

    @Override
    public List<Written> removeSilent(String self, Duration lease, Instant at) {
      return List.of();
    }

    @Override
    public List<Written> leave(String node, Instant at) {
      return List.of();
    }
  }
}
