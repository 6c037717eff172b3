package io.parley.server.chat;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers sends that waited too long for their commit, whether queued or in a transaction that
 * hangs, so a client hears "unavailable" within {@link #DEADLINE_MS} even when the committer
 * thread is stuck on the database.
 *
 * <p>Why a watchdog and not a timer per send: sends come by the ten thousand per second; one
 * check every {@link #CHECK_INTERVAL_MS} of the oldest ones costs next to nothing. The queue is
 * in submit order, so the check stops at the first send still within its deadline.
 *
 * <p>Outcome: a send expired while queued is never stored (the committer skips answered sends);
 * one expired in a running transaction may still be stored. Either way the client was told to
 * retry, and a retry with the same {@code clientId} is answered with the stored message.
 *
 * <p>Threading: checks run on {@code parley-send-deadline}; the queue and the in-flight batch are
 * read concurrently with the committer, which is safe because a future completes only once.
 */
final class SendDeadlines implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SendDeadlines.class);

  /** How long a send may wait for its commit; under the two seconds the contract allows. */
  static final long DEADLINE_MS = 1_500;
  static final long CHECK_INTERVAL_MS = 100;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parley-send-deadline");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param queued the sends waiting for a batch, oldest first
   * @param inFlight the batch being committed now (empty if none)
   * @param expire answers one overdue send
   */
  SendDeadlines(Collection<PendingSend> queued, Supplier<List<PendingSend>> inFlight,
      Consumer<PendingSend> expire) {
    long deadline = TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
    timer.scheduleWithFixedDelay(() -> {
      try {
        check(queued, inFlight.get(), expire, deadline);
      } catch (RuntimeException e) {
        LOG.error("checking send deadlines failed", e); // keep checking: a throw would end the task
      }
    }, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  private static void check(Collection<PendingSend> queued, List<PendingSend> inFlight,
      Consumer<PendingSend> expire, long deadline) {
    long now = System.nanoTime();
    for (PendingSend p : inFlight) {
      if (!p.answered() && p.overdue(now, deadline)) {
        expire.accept(p);
      }
    }
    for (PendingSend p : queued) {
      if (!p.overdue(now, deadline)) {
        break;
      }
      if (!p.answered()) {
        expire.accept(p);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
