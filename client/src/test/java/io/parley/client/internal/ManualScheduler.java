package io.parley.client.internal;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link Scheduler} on a virtual clock: tasks run on the test's thread when time is advanced. */
final class ManualScheduler implements Scheduler {
  private record Task(long at, long order, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
  private long now;
  private long order;
  private boolean shutdown;

  @Override
  public boolean execute(Runnable task) {
    if (shutdown) {
      return false;
    }
    tasks.add(new Task(now, order++, task, new boolean[1]));
    return true;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    boolean[] cancelled = new boolean[1];
    if (!shutdown) {
      tasks.add(new Task(now + delay.toMillis(), order++, task, cancelled));
    }
    return () -> cancelled[0] = true;
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  /** Runs every task due now, including those they queue. */
  void runDue() {
    while (!tasks.isEmpty() && tasks.peek().at <= now) {
      Task task = tasks.poll();
      if (!task.cancelled[0]) {
        task.run.run();
      }
    }
  }

  void advance(Duration by) {
    long target = now + by.toMillis();
    while (!tasks.isEmpty() && tasks.peek().at <= target) {
      now = Math.max(now, tasks.peek().at);
      runDue();
    }
    now = target;
    runDue();
  }

  long now() {
    return now;
  }
}
