package io.parley.client.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Scheduler}: one daemon thread named {@code parley-client-core}. A task that
 * throws is logged (an internal bug) and does not stop the thread. After {@link #shutdown()} new
 * tasks are silently dropped: the client is closed and has nothing left to do.
 */
final class CoreScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(CoreScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  CoreScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "parley-client-core");
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public boolean execute(Runnable task) {
    try {
      executor.execute(guarded(task));
      return true;
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    try {
      Future<?> future = executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException closed) {
      return Cancellable.NONE;
    }
  }

  @Override
  public void shutdown() {
    executor.shutdown();
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
