package io.parley.client.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Scheduler}: one client's view of the shared core thread {@code
 * parley-client-core} (see {@link SharedResources}). Every client's tasks run on that one thread,
 * so each client's tasks still run one at a time, in order. A task that throws is logged (an
 * internal bug) and does not stop the thread. After {@link #shutdown()} this client's new tasks
 * are dropped and its pending timers do nothing when they come due; tasks already queued still run
 * (the close posts its last steps that way). The thread itself belongs to the shared resources.
 */
final class CoreScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(CoreScheduler.class);

  private final ScheduledExecutorService executor;
  private volatile boolean shut;

  CoreScheduler(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** The shared core thread: one daemon thread; timers cancelled are removed at once. */
  static ScheduledThreadPoolExecutor newCoreThread() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "parley-client-core");
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  @Override
  public boolean execute(Runnable task) {
    if (shut) {
      return false;
    }
    try {
      executor.execute(guarded(task));
      return true;
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    if (shut) {
      return Cancellable.NONE;
    }
    Runnable unlessShut = () -> {
      if (!shut) {
        task.run();
      }
    };
    try {
      Future<?> future = executor.schedule(guarded(unlessShut), delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException closed) {
      return Cancellable.NONE;
    }
  }

  @Override
  public void shutdown() {
    shut = true;
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("internal error on the client's core thread", e);
      }
    };
  }
}
