package io.parley.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's event thread: the only place that runs application code (listeners, subscribers,
 * future callbacks), one task at a time in the order posted. For a real client it is an {@link
 * EventLane} over the shared {@code parley-client-events-N} threads. A task that
 * throws is logged and skipped. Each task counts against the {@link ReadGate} until it has run.
 * Once the client is shut down, a task posted late (a subscribe after close) runs on the caller's
 * thread instead, so that nothing waits forever; network threads never post here directly.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final Executor executor;
  private final ReadGate gate;

  public Events(Executor executor, ReadGate gate) {
    this.executor = executor;
    this.gate = gate;
  }

  /** Runs {@code task} on the event thread after everything posted before it. */
  public void post(Runnable task) {
    gate.add();
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.warn("an application callback threw; ignored", e);
      } finally {
        gate.done();
      }
    };
    try {
      executor.execute(guarded);
    } catch (RejectedExecutionException closed) {
      guarded.run();
    }
  }

  /** Lets the queued events run, then ends the thread. */
  void shutdown() {
    if (executor instanceof EventLane lane) {
      lane.shutdown();
    } else if (executor instanceof ExecutorService service) {
      service.shutdown();
    }
  }
}
