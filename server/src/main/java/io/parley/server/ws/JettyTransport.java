package io.parley.server.ws;

import java.nio.ByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The one adapter from {@link Transport} to a Jetty WebSocket session.
 *
 * <p>Text goes out through Jetty's core session as frames over bytes that are already UTF-8, so a
 * fan-out message is encoded once, not once per member. The core session queues frames that cannot be written yet and writes several queued
 * ones in one gathering write, so a member that falls behind costs fewer system calls, not more.
 */
final class JettyTransport implements Transport {
  /** How long a close may take before the connection is dropped instead. */
  static final long CLOSE_GRACE_MS = 3_000;

  private final CoreSession core;
  /** Set once the connection has closed for good (the endpoint's {@code onClosed}). */
  private volatile boolean ended;

  JettyTransport(CoreSession core) {
    this.core = core;
  }

  /** With {@code more}, Jetty copies the frame into its batch buffer and writes it with the next unbatched one. */
  @Override
  public void sendText(ByteBuffer utf8, Completion done, boolean more) {
    core.sendFrame(new Frame(OpCode.TEXT).setPayload(utf8), new Callback() {
      @Override
      public void succeeded() {
        done.sent();
      }

      @Override
      public void failed(Throwable x) {
        done.failed(x);
      }
    }, more);
  }

  @Override
  public void flush() {
    core.flush(Callback.NOOP);
  }

  @Override
  public void ping() {
    core.sendFrame(new Frame(OpCode.PING).setPayload(BufferUtil.EMPTY_BUFFER), Callback.NOOP, false);
  }

  /**
   * Answers a peer's ping with its payload; {@code received} (the ping's own callback, which
   * frees its buffer) completes and {@code next} runs once the pong is written or failed: a failure
   * here only means the output is closing.
   */
  void pong(ByteBuffer payload, Callback received, Runnable andThen) {
    Runnable next = () -> {
      received.succeeded();
      andThen.run();
    };
    core.sendFrame(new Frame(OpCode.PONG).setPayload(payload == null ? BufferUtil.EMPTY_BUFFER : payload),
        Callback.from(next, failure -> next.run()), false);
  }

  /** The connection has closed: a pending close watch has nothing left to do. */
  void ended() {
    ended = true;
  }

  @Override
  public void disconnect() {
    core.abort();
  }

  /**
   * Starts the closing handshake, and drops the connection if it has not closed within {@link
   * #CLOSE_GRACE_MS}: the close frame queues behind every unwritten frame, so a peer that does not
   * read would otherwise keep a session the server has given up on (an authentication deadline, a
   * 1013) open, with all its buffers, for as long as it likes.
   */
  @Override
  public void close(int code, String reason) {
    core.close(code, reason, Callback.NOOP);
    CloseWatch.afterGrace(() -> {
      // Jetty counts the session closed once the close frame is queued, written or not; only the
      // endpoint's onClosed says the connection is really gone.
      if (!ended) {
        core.abort();
      }
    });
  }
}
