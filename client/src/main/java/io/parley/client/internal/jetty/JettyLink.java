package io.parley.client.internal.jetty;

import io.parley.client.internal.Link;
import io.parley.client.internal.ReadGate;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One Jetty WebSocket session as a {@link Link}. Reads are demand-driven: after each frame the
 * next is asked for only when the {@link ReadGate} has room. Writes go one at a time (the next
 * when the previous completed), queued in order behind. Jetty calls the listener methods on its
 * threads, one frame at a time.
 *
 * <p>Alone in an exported package because Jetty finds the listener methods with {@code
 * MethodHandles.publicLookup()}, which sees only unconditionally exported packages; not an API.
 */
@SuppressWarnings("exports") // its package is exported for Jetty's lookup, not as an API
public final class JettyLink implements Session.Listener, Link {
  private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

  private final Link.Listener listener;
  private final ReadGate gate;
  private final ArrayDeque<String> outbox = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Session session;
  private boolean writing;

  public JettyLink(Link.Listener listener, ReadGate gate) {
    this.listener = listener;
    this.gate = gate;
  }

  @Override
  public void onWebSocketOpen(Session opened) {
    session = opened;
    opened.demand();
  }

  @Override
  public void onWebSocketText(String text) {
    listener.onText(text);
    gate.next(session::demand);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
    callback.succeed();
    session.demand();
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    session.sendPong(payload, Callback.NOOP);
    session.demand();
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    session.demand();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    reportClosed(statusCode, reason);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    reportClosed(1006, cause.getMessage()); // often null: the connector says "no reason given"
  }

  private void reportClosed(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      listener.onClosed(code, reason == null ? "" : reason);
    }
  }

  @Override
  public void send(String text) {
    synchronized (this) {
      outbox.add(text);
      if (writing) {
        return;
      }
      writing = true;
    }
    writeNext();
  }

  private void writeNext() {
    String next;
    synchronized (this) {
      next = outbox.poll();
      if (next == null) {
        writing = false;
        return;
      }
    }
    session.sendText(next, Callback.from(this::writeNext, this::writeFailed));
  }

  private void writeFailed(Throwable cause) {
    synchronized (this) {
      outbox.clear();
      writing = false;
    }
    Session current = session;
    if (current != null) {
      current.disconnect();
    }
    // Jetty fails a write to a connection the network dropped with a message-less exception
    // (e.g. EofException): name its kind rather than print "null" to the person reading the reason.
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    reportClosed(1006, "write failed: " + why);
  }

  @Override
  public void ping() {
    session.sendPing(NO_PAYLOAD.duplicate(), Callback.NOOP);
  }

  @Override
  public void close(int code, String reason) {
    Session current = session;
    if (current != null) {
      current.close(code, reason, Callback.NOOP);
    }
  }
}
