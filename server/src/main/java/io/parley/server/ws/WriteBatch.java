package io.parley.server.ws;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A burst of writes that should leave in as few system calls as possible: the replies of one
 * group commit, the messages of one delivery round. While a batch is open on a thread, every
 * frame that thread hands to an {@link Outbound} is held back by the transport, and closing the
 * batch flushes each session it touched once. A session that gets eight replies from one commit
 * then costs one write instead of eight; writes are most of what a reply or a delivery costs.
 *
 * <p>Frames still go out in the order they were offered; another thread's unbatched frame to the
 * same session simply flushes earlier. Thread-confined: open and close on the same thread, with
 * try-with-resources. A batch opened inside another one joins it.
 */
public final class WriteBatch implements AutoCloseable {
  private static final ThreadLocal<WriteBatch> CURRENT = new ThreadLocal<>();
  /** Stands for "no batch of its own": closing it does nothing. */
  private static final WriteBatch NONE = new WriteBatch();

  private final Set<Outbound> touched = Collections.newSetFromMap(new IdentityHashMap<>());

  private WriteBatch() {}

  /** Opens a batch on this thread, or joins the one already open. */
  public static WriteBatch open() {
    return openIf(true);
  }

  /**
   * Opens a batch only when {@code worthIt}: holding a frame back and flushing it costs Jetty
   * a second pass, which pays only when a session gets more than one frame in the batch.
   */
  public static WriteBatch openIf(boolean worthIt) {
    if (!worthIt || CURRENT.get() != null) {
      return NONE;
    }
    WriteBatch batch = new WriteBatch();
    CURRENT.set(batch);
    return batch;
  }

  /** True while a batch is open on this thread (a helper thread of a round opens its own). */
  public static boolean isOpen() {
    return CURRENT.get() != null;
  }

  /** The batch open on this thread, or {@code null}. */
  static WriteBatch current() {
    return CURRENT.get();
  }

  void touch(Outbound outbound) {
    touched.add(outbound);
  }

  /** Flushes every session written to. */
  @Override
  public void close() {
    if (this == NONE) {
      return;
    }
    CURRENT.remove();
    for (Outbound outbound : touched) {
      outbound.flush();
    }
  }
}
