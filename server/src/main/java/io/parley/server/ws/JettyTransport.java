package io.parley.server.ws;

import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The one adapter from {@link Transport} to a Jetty WebSocket session.
 *
 * <p>Text goes out through Jetty's core session as frames over bytes that are already UTF-8:
 * the API session's {@code sendText(String)} would encode the same fan-out message once per
 * member. The core session queues frames that cannot be written yet and writes several queued
 * ones in one gathering write, so a member that falls behind costs fewer system calls, not more.
 */
final class JettyTransport implements Transport {
  private final Session session;
  private final CoreSession core;

  JettyTransport(Session session) {
    this.session = session;
    this.core = ((WebSocketSession) session).getCoreSession();
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
    session.sendPing(ByteBuffer.allocate(0), org.eclipse.jetty.websocket.api.Callback.NOOP);
  }

  @Override
  public void disconnect() {
    session.disconnect();
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
  }
}
