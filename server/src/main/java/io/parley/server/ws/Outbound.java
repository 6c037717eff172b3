package io.parley.server.ws;

import io.parley.protocol.CloseCodes;
import java.util.ArrayDeque;

/**
 * The per-session send queue: one frame in flight at a time (Jetty refuses overlapping writes),
 * the rest queued in order. Notifications count against a limit in characters of JSON text (the
 * same as bytes for ASCII; counting UTF-8 bytes would scan every frame once per member on the
 * fan-out path); a session whose unsent notifications pass it is closed with 1013 instead of
 * growing the heap, and recovers with
 * {@code since} when it reconnects. Replies to the session's own requests are never what trips the
 * limit: the client asked for them and is waiting.
 *
 * <p>Thread-safe: any thread may offer; the lock is never held while calling the transport, so a
 * write that completes inline cannot deadlock, and the pump loop (not recursion) drains frames
 * that complete inline.
 */
public final class Outbound {
  private record Item(String text, boolean counted) {}

  private final Transport transport;
  private final long limit;
  private final Runnable onOverflow;
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long countedChars;
  private boolean writing;
  private boolean inlineDone;
  private boolean pumping;
  private boolean closed;

  public Outbound(Transport transport, long limit) {
    this(transport, limit, () -> { });
  }

  /** {@code onOverflow} runs once the queue passes {@code limit}, before the session is closed with 1013. */
  public Outbound(Transport transport, long limit, Runnable onOverflow) {
    this.transport = transport;
    this.limit = limit;
    this.onOverflow = onOverflow;
  }

  /** Queues a notification; may close the session with 1013 when it is too far behind. */
  public void notify(String text) {
    offer(new Item(text, true));
  }

  /** Queues a reply to the session's own request; never trips the limit. */
  public void reply(String text) {
    offer(new Item(text, false));
  }

  private void offer(Item item) {
    boolean overflow = false;
    boolean start = false;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (item.counted && countedChars + item.text.length() > limit) {
        overflow = true;
        dropQueue();
      } else {
        queue.add(item);
        if (item.counted) {
          countedChars += item.text.length();
        }
        if (!writing && !pumping) {
          pumping = true;
          start = true;
        }
      }
    }
    if (overflow) {
      onOverflow.run();
      transport.close(CloseCodes.TRY_AGAIN_LATER, "too slow: more than " + limit + " characters queued");
    } else if (start) {
      pump();
    }
  }

  private void pump() {
    while (true) {
      Item item;
      synchronized (this) {
        item = closed ? null : queue.poll();
        if (item == null) {
          pumping = false;
          return;
        }
        writing = true;
        inlineDone = false;
      }
      Item sent = item;
      transport.sendText(item.text, () -> onSent(sent), this::onFailed);
      synchronized (this) {
        if (!inlineDone) {
          pumping = false;
          return;
        }
      }
    }
  }

  private void onSent(Item item) {
    boolean resume;
    synchronized (this) {
      if (item.counted && !closed) {
        countedChars -= item.text.length();
      }
      writing = false;
      resume = !pumping;
      if (pumping) {
        inlineDone = true;
      } else {
        pumping = true;
      }
    }
    if (resume) {
      pump();
    }
  }

  private void onFailed(Throwable failure) {
    synchronized (this) {
      writing = false;
      dropQueue();
    }
  }

  /** Stops queueing; what is queued is dropped. */
  public synchronized void shutdown() {
    dropQueue();
  }

  private void dropQueue() {
    closed = true;
    queue.clear();
    countedChars = 0;
  }

  /** Characters of notifications not yet written. */
  public synchronized long backlog() {
    return countedChars;
  }

  /** True when nothing is queued or being written. */
  public synchronized boolean isIdle() {
    return queue.isEmpty() && !writing;
  }
}
