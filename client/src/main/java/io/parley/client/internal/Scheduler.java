package io.parley.client.internal;

import java.time.Duration;

/**
 * The client's core thread and clock: every piece of internal state is touched only by tasks run
 * here, one at a time, in order. Timers (call timeouts, backoff, pings) run here too. Tests put a
 * manual implementation in its place to control time.
 */
public interface Scheduler {
  /**
   * Runs {@code task} on the core thread, after the tasks already queued; {@code false} when the
   * client is shut down and the task will never run.
   */
  boolean execute(Runnable task);

  /** Runs {@code task} on the core thread after {@code delay}, unless cancelled first. */
  Cancellable schedule(Runnable task, Duration delay);

  /** Stops taking tasks; queued timers are dropped. */
  void shutdown();

  /** A scheduled task that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    Cancellable NONE = () -> {};

    void cancel();
  }
}
