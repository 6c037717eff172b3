package io.parley.server.ws;

import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes handed to all of a node's sessions and not written yet, and the line past which the
 * node holds back the sessions that are behind. One session can only pile up about a megabyte
 * before it is no longer read ({@link Outbound#BACKED_UP_BYTES}), but a client can open many
 * sessions: once the node's total passes {@link #limit()}, every session with more than {@link
 * #SESSION_FLOOR} unwritten counts as backed up too. Sessions that keep up (a chat client has a
 * few kilobytes in flight) are never held back by the others.
 *
 * <p>Thread-safe: a {@link LongAdder}, since every write and every completion on every thread adds
 * to it, and it is read far less often (once per frame read, once per store read started).
 */
public final class NodeBacklog {
  /** Unwritten bytes below which a session is never held back for the node's sake. */
  static final long SESSION_FLOOR = 64 * 1024;
  /** The part of the heap all sessions' unwritten bytes may take before lagging sessions are held back. */
  static final int HEAP_SHARE = 8;

  /** No node-wide line: for sessions built outside a server (unit tests). */
  static final NodeBacklog NONE = new NodeBacklog(Long.MAX_VALUE);

  private final LongAdder total = new LongAdder();
  private final long limit;

  NodeBacklog(long limit) {
    this.limit = limit;
  }

  /** A line at an eighth of the heap this JVM may use. */
  public static NodeBacklog ofHeap() {
    return new NodeBacklog(Runtime.getRuntime().maxMemory() / HEAP_SHARE);
  }

  void add(long bytes) {
    total.add(bytes);
  }

  /** True while the node's unwritten bytes are past the line. */
  boolean isHigh() {
    return total.sum() >= limit;
  }

  /** Bytes handed to sessions and not written yet, on the whole node. */
  public long unwritten() {
    return total.sum();
  }

  public long limit() {
    return limit;
  }
}
