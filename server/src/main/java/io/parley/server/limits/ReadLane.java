package io.parley.server.limits;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One caller's share of the node's blocking reads: at most {@link #WIDTH} of its reads run at once,
 * the rest wait here in order, and none starts while the caller's unwritten replies are {@linkplain
 * #ReadLane(BooleanSupplier, BooleanSupplier) backed up}. A client that asks for 100 history pages
 * in one batch and never reads them therefore costs two pages of heap, not a hundred, and cannot
 * take more than two of the node's reader threads from the others.
 *
 * <p>Why here and not in the executor: the executor bounds the node; only the caller knows whether
 * its own replies are being written, and whether it is still there to get them.
 *
 * <p>Threading: all methods from any thread; the state is guarded by this object's monitor, and
 * the {@link Runner} is called outside it.
 */
public final class ReadLane {
  /** How many reads of one caller run at once. */
  public static final int WIDTH = 2;

  /** Starts jobs the lane releases; the owner of the node's reader threads. */
  public interface Runner {
    void start(ReadLane lane, Job job);
  }

  /** A queued read: runs, or is dropped with a reason. */
  public interface Job {
    void drop(String why);
  }

  private final BooleanSupplier backedUp;
  private final BooleanSupplier gone;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private int running;
  private Runner runner;

  /**
   * @param backedUp true while the caller's replies wait to be written past the bound; no read starts then
   * @param gone true once the caller has gone; queued reads are dropped
   */
  public ReadLane(BooleanSupplier backedUp, BooleanSupplier gone) {
    this.backedUp = backedUp;
    this.gone = gone;
  }

  /** A lane for one stateless request (HTTP): never backed up, never gone. */
  public static ReadLane unbounded() {
    return new ReadLane(() -> false, () -> false);
  }

  /** Queues {@code job}; {@code runner} starts it when the lane allows. */
  public void add(Job job, Runner runner) {
    synchronized (this) {
      this.runner = runner;
      waiting.add(job);
    }
    pump();
  }

  /** A started job has finished: its place goes to the next one. */
  public void finished() {
    synchronized (this) {
      running--;
    }
    pump();
  }

  /** True once the caller has gone: a job that starts now should not run. */
  public boolean isGone() {
    return gone.getAsBoolean();
  }

  /** The caller's replies were written (or it left): start what may start now. */
  public void wake() {
    pump();
  }

  /** The caller has gone: every waiting job is dropped now, not when its turn comes. */
  public void cancel(String why) {
    List<Job> dropped;
    synchronized (this) {
      dropped = new ArrayList<>(waiting);
      waiting.clear();
    }
    dropped.forEach(job -> job.drop(why));
  }

  /** Jobs waiting for their turn. */
  public synchronized int waiting() {
    return waiting.size();
  }

  private void pump() {
    if (gone.getAsBoolean()) {
      cancel("the client has gone");
      return;
    }
    while (true) {
      Job next;
      Runner start;
      synchronized (this) {
        if (running >= WIDTH || waiting.isEmpty() || backedUp.getAsBoolean()) {
          return;
        }
        next = waiting.poll();
        running++;
        start = runner;
      }
      start.start(this, next);
    }
  }
}
