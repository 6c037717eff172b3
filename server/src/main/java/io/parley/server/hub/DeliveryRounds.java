package io.parley.server.hub;

import io.micrometer.core.instrument.Timer;
import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers accepted messages in rounds: each round takes everything that was accepted since the
 * last one began, so a member gets all of a round's messages in one
 * write instead of one write per message. When delivery keeps up a round holds one commit's
 * messages and nothing waits; when it falls behind, rounds grow and each delivery costs less,
 * which is what lets it catch up (the cost of a fan-out is mostly one system call per member
 * and write).
 *
 * <p>Threading: {@link #submit} from any thread (per room, one at a time, in seq order: the
 * committer, a cluster room's sequencer); rounds run one after another on {@code parley-deliver},
 * so each room's messages are delivered in the order they were submitted.
 */
final class DeliveryRounds {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryRounds.class);

  private final Consumer<List<Message>> delivery;
  /** Records each commit's delivery lag, or {@code null}. */
  private final Timer lag;
  private final ConcurrentLinkedQueue<Commit> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parley-deliver");
    t.setDaemon(true);
    return t;
  });

  /** Messages submitted together and when ({@link System#nanoTime()}). */
  private record Commit(List<Message> messages, long committedNanos) {}

  /**
   * @param delivery delivers one round's messages (in submission order) to this node's members
   * @param lag records, per submission, the time to the end of the round that delivered it (every
   *     local member's frames handed to its socket), or {@code null}
   */
  DeliveryRounds(Consumer<List<Message>> delivery, Timer lag) {
    this.delivery = delivery;
    this.lag = lag;
  }

  /** Queues messages accepted together, in order. */
  void submit(List<Message> committed) {
    pending.add(new Commit(committed, System.nanoTime()));
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::round);
    }
  }

  private void round() {
    scheduled.set(false); // from here on, a submit schedules the next round
    List<Commit> commits = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    for (Commit c; (c = pending.poll()) != null; ) {
      commits.add(c);
      messages.addAll(c.messages());
    }
    if (messages.isEmpty()) {
      return;
    }
    try {
      delivery.accept(messages);
    } catch (RuntimeException e) {
      LOG.error("delivering {} messages failed", messages.size(), e);
    }
    if (lag != null) {
      long now = System.nanoTime();
      for (Commit c : commits) {
        lag.record(now - c.committedNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Runs the rounds already scheduled, waiting at most {@code timeoutNanos}, then stops. */
  void close(long timeoutNanos) throws InterruptedException {
    thread.shutdown();
    thread.awaitTermination(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
  }
}
