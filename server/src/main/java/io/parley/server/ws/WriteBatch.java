package io.parley.server.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * A burst of writes that should leave in as few system calls as possible: the messages of one
 * delivery round, the replies of one group commit. Frames written through an open batch are held
 * back by the transport, and closing the batch flushes each session it touched once. A member that
 * gets eight messages of a round then costs one write instead of eight; writes are most of what a
 * delivery or a reply costs.
 *
 * <p>A batch is passed explicitly: to {@link Outbound#notify(TextFrame, WriteBatch)} down a
 * delivery, or {@linkplain #hold attached to a session} whose replies will be written on this
 * thread by code that does not know of the batch (the RPC layer completing a send's future).
 *
 * <p>Thread-confined: opened, used and closed by one thread (try-with-resources). Writes from other
 * threads are never held by it; such a write to a touched session simply flushes it earlier.
 * Frames go out in the order they were offered either way.
 */
public final class WriteBatch implements AutoCloseable {
  /** Holds nothing: for rounds too small to be worth a batch. */
  public static final WriteBatch NONE = new WriteBatch(null);

  private final Thread owner;
  /**
   * Sessions written through this batch, each once (an outbound remembers the batch that last
   * listed it): a hash set here was a tenth of a delivery round's own time.
   */
  private final List<Outbound> touched = new ArrayList<>();
  private boolean closed;

  private WriteBatch(Thread owner) {
    this.owner = owner;
  }

  /** A batch owned by the calling thread. */
  public static WriteBatch open() {
    return new WriteBatch(Thread.currentThread());
  }

  /**
   * A batch only when {@code worthIt}, else {@link #NONE}: holding a frame back and flushing it
   * costs Jetty a second pass, which pays only when a session gets more than one frame in the batch.
   */
  public static WriteBatch openIf(boolean worthIt) {
    return worthIt ? open() : NONE;
  }

  /** True for a real batch (not {@link #NONE}); a helper thread sharing the work opens its own then. */
  public boolean isReal() {
    return owner != null;
  }

  /** Frames written to {@code session} on this thread are held by this batch until it closes. */
  public void hold(ClientSession session) {
    if (takes(session.outbound())) {
      session.outbound().heldBy(this);
    }
  }

  /** Whether a frame to {@code outbound} written now is held by this batch; if so it is flushed at close. */
  boolean takes(Outbound outbound) {
    if (closed || owner != Thread.currentThread()) {
      return false;
    }
    if (outbound.listedBy(this)) {
      touched.add(outbound);
    }
    return true;
  }

  /** Flushes every session written to. */
  @Override
  public void close() {
    if (closed || owner == null) {
      return;
    }
    closed = true;
    for (Outbound outbound : touched) {
      outbound.released(this);
      outbound.flush();
    }
  }
}
