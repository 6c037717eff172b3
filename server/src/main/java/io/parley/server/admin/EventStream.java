package io.parley.server.admin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import io.parley.server.http.HttpReplies;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The open {@code GET /admin/api/stream} answers: Server-Sent Events, one {@code data:} line of
 * JSON a second. A page that has not read the last second yet skips this one rather than queue
 * it (one write in flight per stream, as for WebSocket sessions); a write that fails ends that
 * stream. Pushes come from the sampler's thread, opens from Jetty's; write completions on any.
 */
final class EventStream implements AutoCloseable {
  private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);

  private final class Listener {
    final Response response;
    final Callback done;
    final AtomicBoolean writing = new AtomicBoolean();

    Listener(Response response, Callback done) {
      this.response = response;
      this.done = done;
    }

    void send(ByteBuffer event) {
      if (!writing.compareAndSet(false, true)) {
        return; // still writing the last second: this one is skipped
      }
      response.write(false, event, Callback.from(() -> writing.set(false), this::fail));
    }

    void fail(Throwable failure) {
      if (listeners.remove(this)) {
        done.failed(failure);
      }
    }

    void end() {
      if (listeners.remove(this)) {
        response.write(true, ByteBuffer.allocate(0), done);
      }
    }
  }

  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Starts an answer of events; {@code first} (the current second) goes out at once. */
  void open(Response response, Callback callback, String first) {
    if (closed) {
      HttpReplies.refuse(response, callback, 503, "server shutting down");
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // nginx would otherwise buffer the stream and hand the page a minute at once.
    response.getHeaders().put("X-Accel-Buffering", "no");
    Listener listener = new Listener(response, callback);
    listeners.add(listener);
    listener.send(event(first));
  }

  boolean hasListeners() {
    return !listeners.isEmpty();
  }

  void push(String json) {
    ByteBuffer event = event(json);
    for (Listener l : listeners) {
      l.send(event.duplicate());
    }
  }

  int size() {
    return listeners.size();
  }

  private static ByteBuffer event(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(PREFIX.length + body.length + END.length);
    out.put(PREFIX).put(body).put(END).flip();
    return out;
  }

  /** Ends every stream (the node is stopping); later opens are refused. */
  @Override
  public void close() {
    closed = true;
    listeners.forEach(Listener::end);
  }
}
