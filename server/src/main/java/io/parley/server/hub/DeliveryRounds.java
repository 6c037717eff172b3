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
import java.util.function.BiConsumer;
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

  private final BiConsumer<List<Message>, List<RoomChange>> delivery;
  /** Records each commit's delivery lag, or {@code null}. */
  private final Timer lag;
  private final ConcurrentLinkedQueue<Commit> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parley-deliver");
    t.setDaemon(true);
    return t;
  });

  /** Messages or changes submitted together and when ({@link System#nanoTime()}). */
  private record Commit(List<Message> messages, List<RoomChange> changes, long committedNanos) {}

  /**
   * @param delivery delivers one round's messages and changes (each in submission order) to this
   *     node's members
   * @param lag records, per submission, the time to the end of the round that delivered it (every
   *     local member's frames handed to its socket), or {@code null}
   */
  DeliveryRounds(BiConsumer<List<Message>, List<RoomChange>> delivery, Timer lag) {
    this.delivery = delivery;
    this.lag = lag;
  }

  /** Queues messages accepted together, in order. */
  void submit(List<Message> committed) {
    enqueue(new Commit(committed, List.of(), System.nanoTime()));
  }

  /**
   * Queues changes (contract 1.1) committed together, in rev order per room. A round delivers its
   * messages before its changes, so a change never reaches a member before a message submitted
   * earlier, such as the one it changes.
   */
  void submitChanges(List<RoomChange> changes) {
    enqueue(new Commit(List.of(), changes, System.nanoTime()));
  }

  private void enqueue(Commit commit) {
    pending.add(commit);
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::round);
    }
  }

  private void round() {
    scheduled.set(false); // from here on, a submit schedules the next round
    List<Commit> commits = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    List<RoomChange> changes = new ArrayList<>(0);
    for (Commit c; (c = pending.poll()) != null; ) {
      commits.add(c);
      messages.addAll(c.messages());
      changes.addAll(c.changes());
    }
    if (messages.isEmpty() && changes.isEmpty()) {
      return;
    }
    try {
      delivery.accept(messages, changes);
    } catch (RuntimeException e) {
      LOG.error("delivering {} messages and {} changes failed", messages.size(), changes.size(), e);
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
