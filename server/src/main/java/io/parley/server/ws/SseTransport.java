package io.parley.server.ws;

import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A {@link Transport} over one {@code GET /events} response: each frame goes out as one
 * Server-Sent Event (see {@link SseEvents}), a ping as a comment, a close as a last {@code close}
 * event after which the response ends.
 *
 * <p>Jetty's response takes one write at a time, so frames queue here and everything queued goes
 * out in one write when the previous one completes: a reader that falls behind costs fewer
 * writes, not more. A stream the peer stops reading stalls its writes; Jetty fails a write that
 * makes no progress for the connection's idle timeout, which ends the session like a dropped
 * WebSocket. Thread-safe: any thread may send; completions may run on any thread, also inline.
 */
final class SseTransport implements Transport {
  /** What the transport reports when it ends: how, as a WebSocket close would say it. */
  interface Ending {
    void ended(int code, String reason);
  }

  /** What a WebSocket reports for a connection dropped without a close frame. */
  static final int DROPPED = 1006;

  private record Pending(ByteBuffer bytes, Completion done) {}

  private final Response response;
  private final Callback exchange;
  private final String secret;
  private final Object lock = new Object();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private volatile Runnable onWritten = () -> { };
  private volatile Ending onEnded = (code, reason) -> { };
  private boolean started;
  private boolean writing;
  private boolean ending;
  private boolean ended;
  private int closeCode = DROPPED;
  private String closeReason;
  /** How it ended, for an {@link #onEnded} set afterwards. */
  private int endCode = DROPPED;
  private String endReason;

  /**
   * @param exchange the {@code GET}'s callback: completing it ends the response
   * @param secret the secret half of the session's name (see {@link EventStreams})
   */
  SseTransport(Request request, Response response, Callback exchange, String secret) {
    this.response = response;
    this.exchange = exchange;
    this.secret = secret;
    request.addFailureListener(failure -> abort(failure));
    // Only a write makes progress on this exchange; a quiet stream gets comments well within the
    // idle timeout, so one that times out is dead either way.
    request.addIdleTimeoutListener(timeout -> true);
  }

  String secret() {
    return secret;
  }

  /** True if {@code candidate} is this stream's secret; compared in constant time. */
  boolean hasSecret(String candidate) {
    return MessageDigest.isEqual(secret.getBytes(StandardCharsets.US_ASCII),
        candidate.getBytes(StandardCharsets.US_ASCII));
  }

  /** Runs after every completed write: the peer's connection still takes bytes. */
  void onWritten(Runnable action) {
    this.onWritten = action;
  }

  /**
   * Runs once when the stream has ended, however it ended; at once if it already has (Jetty may
   * fail the exchange before the session is made).
   */
  void onEnded(Ending action) {
    boolean already;
    synchronized (lock) {
      this.onEnded = action;
      already = ended;
    }
    if (already) {
      action.ended(endCode, endReason);
    }
  }

  /** Writes {@code first} ahead of anything queued so far, and starts writing. */
  void start(byte[] first) {
    synchronized (lock) {
      queue.addFirst(new Pending(ByteBuffer.wrap(first), null));
      started = true;
    }
    pump();
  }

  @Override
  public String kind() {
    return SSE;
  }

  @Override
  public void sendFrame(TextFrame frame, Completion done, boolean more) {
    enqueue(frame.event(), done, more);
  }

  @Override
  public void sendText(ByteBuffer utf8, Completion done, boolean more) {
    enqueue(ByteBuffer.wrap(SseEvents.event(null, null, utf8)), done, more);
  }

  private void enqueue(ByteBuffer bytes, Completion done, boolean more) {
    boolean refused;
    synchronized (lock) {
      refused = ended || ending;
      if (!refused) {
        queue.add(new Pending(bytes, done));
      }
    }
    if (refused) {
      if (done != null) {
        done.failed(new IllegalStateException("the event stream has ended"));
      }
      return;
    }
    if (!more) {
      pump();
    }
  }

  @Override
  public void flush() {
    pump();
  }

  @Override
  public void ping() {
    enqueue(ByteBuffer.wrap(SseEvents.KEEP_ALIVE), null, false);
  }

  /**
   * Sends a last {@code close} event (code and reason, as a WebSocket close would carry them) after
   * what is queued, then ends the response; a stream that has not ended within the close grace
   * (its peer does not read) is dropped.
   */
  @Override
  public void close(int code, String reason) {
    synchronized (lock) {
      if (ended || ending) {
        return;
      }
      queue.add(new Pending(ByteBuffer.wrap(SseEvents.event("close", closeJson(code, reason))), null));
      ending = true;
      closeCode = code;
      closeReason = reason;
    }
    pump();
    CloseWatch.afterGrace(() -> abort(new IllegalStateException("the event stream was not read for its close")));
  }

  @Override
  public void disconnect() {
    abort(new IllegalStateException("the event stream's peer stopped answering"));
  }

  private void pump() {
    List<Pending> batch;
    boolean finish = false;
    synchronized (lock) {
      if (!started || writing || ended) {
        return;
      }
      if (queue.isEmpty()) {
        if (!ending) {
          return;
        }
        ended = true;
        finish = true;
        batch = List.of();
        endCode = closeCode;
        endReason = closeReason;
      } else {
        batch = new ArrayList<>(queue);
        queue.clear();
        writing = true;
      }
    }
    if (finish) {
      exchange.succeeded();
      onEnded.ended(closeCode, closeReason);
      return;
    }
    response.write(false, joined(batch), Callback.from(() -> written(batch), failure -> {
      batch.forEach(p -> failed(p, failure));
      abort(failure);
    }));
  }

  private void written(List<Pending> batch) {
    synchronized (lock) {
      writing = false;
    }
    for (Pending p : batch) {
      if (p.done != null) {
        p.done.sent();
      }
    }
    onWritten.run();
    pump();
  }

  /** Ends the stream without a goodbye: the connection is dropped. */
  private void abort(Throwable cause) {
    List<Pending> left;
    int code;
    String reason;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      left = new ArrayList<>(queue);
      queue.clear();
      code = ending ? closeCode : DROPPED;
      reason = ending ? closeReason : null;
      endCode = code;
      endReason = reason;
    }
    left.forEach(p -> failed(p, cause));
    exchange.failed(cause);
    onEnded.ended(code, reason);
  }

  private static void failed(Pending p, Throwable cause) {
    if (p.done != null) {
      p.done.failed(cause);
    }
  }

  private static ByteBuffer joined(List<Pending> batch) {
    if (batch.size() == 1) {
      return batch.get(0).bytes.duplicate();
    }
    int size = 0;
    for (Pending p : batch) {
      size += p.bytes.remaining();
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    for (Pending p : batch) {
      all.put(p.bytes.duplicate());
    }
    return all.flip();
  }

  private static String closeJson(int code, String reason) {
    JsonObject close = new JsonObject();
    close.addProperty("code", code);
    close.addProperty("reason", reason == null ? "" : reason);
    return JsonText.write(close);
  }
}
