package io.parley.server.hub;

import io.parley.server.ws.RoomFeed;
import io.parley.server.ws.TextFrame;
import io.parley.server.ws.WriteBatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads one delivery round of a large room over the machine's cores. A delivery is mostly one
 * system call per member, and one thread making a thousand of them per message kept a 1,000-member
 * room at 40 messages/s busy most of the time, which is where its latency came from.
 *
 * <p>The delivering thread takes the first part of the members itself and waits for the helpers'
 * parts before it returns, so the next round starts only after this one reached every member:
 * each member still gets its messages in seq order. A batch belongs to one thread, so each helper
 * writes through a batch of its own when the round has one. A member is in exactly one part, so its
 * frames are never written by two threads at once. Rooms under {@link #SPLIT_FROM} members are
 * not split: handing work over costs more than it saves there.
 *
 * <p>Threading: {@link #deliver} from {@code parley-deliver} (one round at a time); helpers are
 * {@code parley-fanout-N}.
 */
final class FanOutWorkers implements AutoCloseable {
  static final int SPLIT_FROM = 512;
  private static final Logger LOG = LoggerFactory.getLogger(FanOutWorkers.class);

  private final ExecutorService helpers;
  private final int parts;

  /** {@code parts} threads in all share a round: the caller and {@code parts - 1} helpers. */
  FanOutWorkers(int parts) {
    if (parts < 2) {
      throw new IllegalArgumentException("parts must be at least 2, was " + parts);
    }
    this.parts = parts;
    AtomicInteger n = new AtomicInteger();
    this.helpers = Executors.newFixedThreadPool(parts - 1, r -> {
      Thread t = new Thread(r, "parley-fanout-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** One part per core, at most four; {@code null} on a single core (deliver on one thread). */
  static FanOutWorkers forThisMachine() {
    int cores = Math.min(4, Runtime.getRuntime().availableProcessors());
    return cores < 2 ? null : new FanOutWorkers(cores);
  }

  /** Hands the round's messages to every member, the members split over the threads. */
  @SuppressWarnings("try") // a helper's batch is closed by try-with-resources
  void deliver(RoomFeed[] members, long[] seqs, TextFrame[] frames, WriteBatch batch) {
    boolean batched = batch.isReal();
    int size = (members.length + parts - 1) / parts;
    Future<?>[] others = new Future<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = Math.min(members.length, p * size);
      int to = Math.min(members.length, from + size);
      others[p - 1] = helpers.submit(() -> {
        try (WriteBatch own = WriteBatch.openIf(batched)) {
          deliverRange(members, from, to, seqs, frames, own);
        }
      });
    }
    deliverRange(members, 0, Math.min(members.length, size), seqs, frames, batch);
    for (Future<?> other : others) {
      await(other);
    }
  }

  private static void deliverRange(RoomFeed[] members, int from, int to, long[] seqs, TextFrame[] frames,
      WriteBatch batch) {
    for (int i = from; i < to; i++) {
      members[i].messages(seqs, frames, batch);
    }
  }

  private static void await(Future<?> part) {
    try {
      part.get();
    } catch (ExecutionException e) {
      LOG.error("delivering part of a round failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    helpers.shutdown();
    try {
      helpers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
