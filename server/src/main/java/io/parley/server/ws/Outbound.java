package io.parley.server.ws;

import io.parley.protocol.CloseCodes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-session write side: hands each frame to the {@link Transport} at once (the transport
 * keeps them in order and writes what piles up in one go) and bounds what a session may have
 * waiting. Notifications count against a limit in bytes of UTF-8 JSON; a session whose unwritten
 * notifications would pass it is closed with 1013 instead of growing the heap, and recovers with
 * {@code since} when it reconnects. Replies to the session's own requests are never what trips the
 * limit: the client asked for them and is waiting. They are bounded by back-pressure instead: every
 * byte handed over counts as {@linkplain #unwritten() unwritten} until written, and past {@link
 * #BACKED_UP_BYTES} the session's frames are not read and its store reads wait.
 *
 * <p>Threading: any thread may offer; frames offered from one thread go out in that thread's
 * order, so callers that need an order across threads serialise their offers (sessions do, under
 * {@link ClientSession#order()}). Completions may arrive on any thread, also inline. No lock is
 * held while calling the transport.
 */
public final class Outbound {
  /**
   * Unwritten bytes of any kind past which the session is "backed up": its next frame is not read
   * and its next store read does not start until writes bring it below (see {@link ReadGate}).
   */
  public static final long BACKED_UP_BYTES = 1024 * 1024;

  private final Transport transport;
  private final long limit;
  private final Runnable onOverflow;
  /** Bytes of notifications handed to the transport and not written yet. */
  private final AtomicLong backlog = new AtomicLong();
  /** Bytes of every kind (replies too) handed to the transport and not written yet. */
  private final AtomicLong unwritten = new AtomicLong();
  /** Runs when a write brings {@link #unwritten} below {@link #BACKED_UP_BYTES}. */
  private volatile Runnable onDrained = () -> { };
  private final NodeBacklog node;
  /** Frames of any kind handed to the transport and not completed yet. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Frames of any kind handed to the transport since the session opened (for its close log line). */
  private final AtomicLong handedOver = new AtomicLong();
  /** The node's count of notifications sent, shared by all sessions; {@code null} until registered. */
  private volatile LongAdder notifications;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** A batch that holds this session's frames written on its thread, set by {@link WriteBatch#hold}. */
  private volatile WriteBatch heldBy;
  /**
   * The batch that last put this session on its list. Two batches on two threads may take turns
   * here; then a batch lists the session twice and flushes it twice, which is harmless. It never
   * skips a session it did not list, which would leave frames held.
   */
  private volatile WriteBatch listedBy;

  /** A queue on its own (no node-wide line) that does nothing more on overflow than close with 1013. */
  Outbound(Transport transport, long limit) {
    this(transport, limit, () -> { }, NodeBacklog.NONE);
  }

  /**
   * {@code onOverflow} runs once the backlog would pass {@code limit}, before the session is closed
   * with 1013; {@code node}: the node's unwritten bytes, which this queue adds to and may be held back by.
   */
  Outbound(Transport transport, long limit, Runnable onOverflow, NodeBacklog node) {
    this.node = node;
    this.transport = transport;
    this.limit = limit;
    this.onOverflow = onOverflow;
  }

  /** Queues a notification; may close the session with 1013 when it is too far behind. */
  public void notify(TextFrame frame) {
    notify(frame, null);
  }

  /** Queues a notification, held by {@code batch} ({@code null}: none) until it closes. */
  public void notify(TextFrame frame, WriteBatch batch) {
    if (closed.get()) {
      return;
    }
    int size = frame.size();
    if (backlog.addAndGet(size) > limit) {
      backlog.addAndGet(-size);
      overflow();
      return;
    }
    send(frame, size, batch);
    LongAdder count = notifications;
    if (count != null) {
      count.increment();
    }
  }

  /** Counts every notification sent from now on in {@code count} too. */
  void countNotificationsIn(LongAdder count) {
    this.notifications = count;
  }

  /** Queues a reply to the session's own request; never trips the limit. */
  public void reply(TextFrame frame) {
    if (!closed.get()) {
      send(frame, 0, null);
    }
  }

  private void send(TextFrame frame, int counted, WriteBatch batch) {
    handedOver.incrementAndGet();
    inFlight.incrementAndGet();
    unwritten.addAndGet(frame.size());
    node.add(frame.size());
    WriteBatch holder = batch != null ? batch : heldBy;
    boolean held = holder != null && holder.takes(this);
    transport.sendFrame(frame, new Written(frame.size(), counted), held);
  }

  /** True the first time {@code batch} asks (since another batch last did): it lists this session then. */
  boolean listedBy(WriteBatch batch) {
    if (listedBy == batch) {
      return false;
    }
    listedBy = batch;
    return true;
  }

  void heldBy(WriteBatch batch) {
    this.heldBy = batch;
  }

  /** The batch closed: frames are no longer held by it. */
  void released(WriteBatch batch) {
    if (heldBy == batch) {
      heldBy = null;
    }
    if (listedBy == batch) {
      listedBy = null; // a closed batch is not kept reachable from its sessions
    }
  }

  /** Frames (replies and notifications) handed to the transport so far; dropped ones are not counted. */
  public long framesSent() {
    return handedOver.get();
  }

  /** Writes what a {@link WriteBatch} held back. */
  void flush() {
    transport.flush();
  }

  /** The bytes of notifications this session may have waiting. */
  public long limit() {
    return limit;
  }

  /** The session is too far behind (its notifications pass {@link #limit()} elsewhere): closes it with 1013. */
  public void overflow() {
    if (closed.compareAndSet(false, true)) {
      onOverflow.run();
      transport.close(CloseCodes.TRY_AGAIN_LATER, "too slow: more than " + limit + " bytes queued");
    }
  }

  /** The completion of one write: gives its bytes back to the budget. */
  private final class Written implements Transport.Completion {
    private final int size;
    private final int counted;

    Written(int size, int counted) {
      this.size = size;
      this.counted = counted;
    }

    @Override
    public void sent() {
      backlog.addAndGet(-counted);
      inFlight.decrementAndGet();
      node.add(-size);
      long after = unwritten.addAndGet(-size);
      if (crossedDown(after, size, BACKED_UP_BYTES) || crossedDown(after, size, NodeBacklog.SESSION_FLOOR)) {
        onDrained.run();
      }
    }

    @Override
    public void failed(Throwable failure) {
      closed.set(true);
      sent();
    }
  }

  /** Stops sending; frames already handed to the transport are its business. */
  public void shutdown() {
    closed.set(true);
    onDrained.run();
  }

  /** Sets what runs when the unwritten bytes fall below {@link #BACKED_UP_BYTES}, or the queue shuts down. */
  void onDrained(Runnable action) {
    this.onDrained = action;
  }

  /** Bytes of every kind not yet written. */
  public long unwritten() {
    return unwritten.get();
  }

  private static boolean crossedDown(long after, int size, long line) {
    return after < line && after + size >= line;
  }

  /**
   * True while {@link #unwritten} is at or past {@link #BACKED_UP_BYTES}, or past {@link
   * NodeBacklog#SESSION_FLOOR} while the node as a whole has too much unwritten.
   */
  public boolean isBackedUp() {
    long mine = unwritten.get();
    return mine >= BACKED_UP_BYTES || (mine >= NodeBacklog.SESSION_FLOOR && node.isHigh());
  }

  /** True once the session's queue is closed: the session is closing or gone. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Bytes of notifications not yet written. */
  public long backlog() {
    return backlog.get();
  }

  /** True when nothing is being written. */
  public boolean isIdle() {
    return inFlight.get() == 0;
  }
}
