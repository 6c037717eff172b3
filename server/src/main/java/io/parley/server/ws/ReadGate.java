package io.parley.server.ws;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides when the next frame of a session is read: only while fewer than {@link #MAX_PENDING}
 * of its frames wait for their replies and its unwritten bytes are below {@link
 * Outbound#BACKED_UP_BYTES}. Otherwise the frame is not asked for: Jetty stops reading the socket,
 * the kernel's buffers fill, and TCP holds a client that does not read its replies back, instead
 * of the heap growing by every page it asks for. Reading resumes when a reply is answered or
 * written.
 *
 * <p>Jetty delivers one frame per {@code demand()}, so the gate must demand exactly once for each
 * frame it let through: the {@code paused} flag is set before the second look at the state and
 * cleared by exactly one compare-and-set, whoever (the frame's own thread, a reply, a write
 * completion) finds the state open again.
 *
 * <p>Threading: any thread; lock-free.
 */
final class ReadGate {
  /** Frames of one session read and not answered yet, past which its next frame waits. */
  static final int MAX_PENDING = 16;

  private final Runnable demand;
  private final Outbound outbound;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean paused = new AtomicBoolean();

  ReadGate(Runnable demand, Outbound outbound) {
    this.demand = demand;
    this.outbound = outbound;
  }

  /** A frame's calls were handed to the dispatcher. */
  void callStarted() {
    pending.incrementAndGet();
  }

  /** A frame's reply was queued (or it had none). */
  void callAnswered() {
    pending.decrementAndGet();
    resume();
  }

  /** The frame just handled is done with: ask for the next one, or pause until the state allows. */
  void next() {
    if (open()) {
      demand.run();
      return;
    }
    paused.set(true);
    resume(); // the state may have opened between the look above and the flag
  }

  /** Asks for the next frame if reading was paused and may go on now. */
  void resume() {
    if (paused.get() && open() && paused.compareAndSet(true, false)) {
      demand.run();
    }
  }

  /** True when every frame read has been answered and reading is not paused. */
  boolean isSettled() {
    return pending.get() == 0 && !paused.get();
  }

  /** True while reading is paused. */
  boolean isPaused() {
    return paused.get();
  }

  private boolean open() {
    return pending.get() < MAX_PENDING && !outbound.isBackedUp();
  }
}
