package io.parley.server.chat;

import io.parley.protocol.types.Message;
import io.parley.server.ws.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed messages to the {@link Broker} in rounds: each round takes everything that
 * was committed since the last one began, so a member gets all of a round's messages in one
 * write instead of one write per message. When delivery keeps up a round holds one commit's
 * messages and nothing waits; when it falls behind, rounds grow and each delivery costs less,
 * which is what lets it catch up (the cost of a fan-out is mostly one system call per member
 * and write).
 *
 * <p>Threading: {@link #submit} from the committer thread; rounds run one after another on
 * {@code parley-deliver}, so each room's messages reach the broker in commit (seq) order.
 */
final class DeliveryRounds {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryRounds.class);

  private final Broker broker;
  private final ConcurrentLinkedQueue<Message> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parley-deliver");
    t.setDaemon(true);
    return t;
  });

  DeliveryRounds(Broker broker) {
    this.broker = broker;
  }

  /** Queues messages committed together, in order. */
  void submit(List<Message> committed) {
    pending.addAll(committed);
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::round);
    }
  }

  @SuppressWarnings("try") // the batch is used by the deliveries written inside it, not here
  private void round() {
    scheduled.set(false); // from here on, a submit schedules the next round
    List<Message> messages = new ArrayList<>();
    for (Message m; (m = pending.poll()) != null; ) {
      messages.add(m);
    }
    if (messages.isEmpty()) {
      return;
    }
    try (WriteBatch writes = WriteBatch.openIf(messages.size() > 1)) {
      broker.publishAll(messages);
    } catch (RuntimeException e) {
      LOG.error("delivering {} messages failed", messages.size(), e);
    }
  }

  /** Runs the rounds already scheduled, waiting at most {@code timeoutNanos}, then stops. */
  void close(long timeoutNanos) throws InterruptedException {
    thread.shutdown();
    thread.awaitTermination(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
  }
}
