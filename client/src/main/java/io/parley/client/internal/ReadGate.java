package io.parley.client.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backpressure from the application to the socket. Counts the work handed from the network to
 * the core and event threads and not finished yet; past {@code high} the transport stops asking
 * Jetty for frames (TCP then pushes back to the server, which closes a session that stays behind
 * with 1013, and the client recovers); below {@code low} reading resumes. Thread-safe, lock-free.
 */
public final class ReadGate {
  private final int high;
  private final int low;
  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicReference<Runnable> parked = new AtomicReference<>();

  public ReadGate(int high, int low) {
    this.high = high;
    this.low = low;
  }

  /** One more unit of work queued. */
  void add() {
    backlog.incrementAndGet();
  }

  /** One unit of work finished; may resume reading. */
  void done() {
    if (backlog.decrementAndGet() <= low) {
      resume();
    }
  }

  /** Reads the next frame now ({@code demand}) when there is room, or as soon as there is. */
  public void next(Runnable demand) {
    if (backlog.get() < high) {
      demand.run();
      return;
    }
    parked.set(demand);
    if (backlog.get() <= low) {
      resume();
    }
  }

  int backlog() {
    return backlog.get();
  }

  private void resume() {
    Runnable demand = parked.getAndSet(null);
    if (demand != null) {
      demand.run();
    }
  }
}
