package io.parley.server.ws;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** The one adapter from {@link Transport} to a Jetty WebSocket session. */
final class JettyTransport implements Transport {
  private final Session session;

  JettyTransport(Session session) {
    this.session = session;
  }

  @Override
  public void sendText(String text, Runnable onSent, Consumer<Throwable> onFailed) {
    session.sendText(text, Callback.from(onSent, onFailed));
  }

  @Override
  public void ping() {
    session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }

  @Override
  public void disconnect() {
    session.disconnect();
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, reason, Callback.NOOP);
  }
}
