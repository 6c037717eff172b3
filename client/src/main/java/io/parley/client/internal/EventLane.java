package io.parley.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client's event thread, as a lane over the shared event pool: its tasks run one at a time,
 * in the order posted, on whichever pool thread is free, so a client whose application code is
 * slow holds one pool thread and delays only its own events. After a few tasks the lane lets the
 * pool's other lanes go first, so a busy client does not starve the rest. Thread-safe; the lock
 * guards only the queue and is never held while a task runs.
 */
final class EventLane implements Executor {
  /** Tasks run in a row before the lane goes to the back of the pool's queue. */
  private static final int BATCH = 64;

  private final Executor pool;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean scheduled; // guarded by this
  private volatile boolean shut;

  EventLane(Executor pool) {
    this.pool = pool;
  }

  /** Queues {@code task}; throws {@link RejectedExecutionException} once the lane is shut down. */
  @Override
  public void execute(Runnable task) {
    if (shut) {
      throw new RejectedExecutionException("the client's event lane is shut down");
    }
    synchronized (this) {
      queue.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    hand();
  }

  /** Takes no new tasks; the queued ones still run. */
  void shutdown() {
    shut = true;
  }

  private void hand() {
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException poolEnded) {
      drain(); // the shared pool was stopped under us: finish the queue here rather than lose it
    }
  }

  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      Runnable next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          scheduled = false;
          return;
        }
      }
      next.run(); // Events guards its tasks: none throws
    }
    hand();
  }
}
