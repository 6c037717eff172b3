package io.parley.server.ws;

import io.parley.protocol.CloseCodes;
import io.parley.server.rpc.CallContext;
import io.parley.server.rpc.IncidentLog;
import io.parley.server.rpc.RpcDispatcher;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection at {@code /ws}: every text frame goes to the {@link RpcDispatcher} and
 * the reply, if any, to the session's {@link Outbound} queue. This is a Jetty core frame handler,
 * not an API-layer endpoint: the API layer keeps the whole upgrade request (HTTP connection,
 * parser, headers) reachable from every session, several kilobytes per idle connection.
 *
 * <p>Jetty calls this on its own threads, one frame at a time per connection; each frame asks for
 * the next with {@code demand()} once handled. Nothing here blocks: handlers hand blocking work to
 * other threads and answer through futures.
 */
public final class ParleyEndpoint implements FrameHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyEndpoint.class);
  private static final IncidentLog INCIDENTS = new IncidentLog(LOG);

  /** Bytes of a session id: 64 random bits name a WebSocket session, which only its connection can act in. */
  private static final int ID_BYTES = 8;

  private final RpcDispatcher dispatcher;
  private final SessionFactory factory;
  private final SessionHooks hooks;
  private ClientSession session;
  private IncomingMessage incoming;
  private JettyTransport transport;
  private ReadGate gate;

  /** @param hooks what runs when the session opens, departs and closes */
  public ParleyEndpoint(RpcDispatcher dispatcher, SessionFactory factory, SessionHooks hooks) {
    this.dispatcher = dispatcher;
    this.factory = factory;
    this.hooks = hooks;
  }

  @Override
  public void onOpen(CoreSession core, Callback callback) {
    this.incoming = new IncomingMessage(core.getMaxTextMessageSize());
    this.transport = new JettyTransport(core);
    session = factory.open(SessionFactory.randomId(ID_BYTES), SessionFactory.guestName(), transport, hooks);
    gate = new ReadGate(core::demand, session.outbound());
    session.readThrough(gate);
    callback.succeeded();
    core.demand();
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    SessionMdc mdc = SessionMdc.enter(session);
    try {
      handleFrame(frame, callback);
    } finally {
      mdc.close();
    }
  }

  private void handleFrame(Frame frame, Callback callback) {
    ClientSession current = session;
    switch (frame.getOpCode()) {
      case OpCode.TEXT, OpCode.BINARY, OpCode.CONTINUATION -> {
        current.heard();
        String text;
        try {
          text = incoming.accept(frame);
        } catch (RuntimeException refused) {
          // Jetty closes with the exception's code: 1009 past the size limit, 1007 for bad UTF-8.
          current.depart();
          callback.failed(refused);
          return;
        }
        callback.succeeded();
        // A departing session's frames are read (the peer's close frame comes after them) but not served.
        if (text != null && !current.isDeparting()) {
          dispatch(current, text);
        }
        gate.next();
      }
      case OpCode.PING -> {
        current.heard();
        // Jetty's core answers a CLOSE by itself, not a PING: the pong echoes the ping's payload,
        // whose buffer lives until the callback completes, so that waits for the pong's write.
        transport.pong(frame.getPayload(), callback, gate::next);
      }
      case OpCode.PONG -> {
        current.heard();
        callback.succeeded();
        gate.next();
      }
      default -> callback.succeeded(); // CLOSE: Jetty answers it once the callback completes
    }
  }

  private void dispatch(ClientSession current, String text) {
    current.received();
    CallContext context = CallContext.of(current);
    gate.callStarted();
    dispatcher.dispatch(text, context).whenComplete((reply, failure) -> {
      try {
        if (failure != null) {
          INCIDENTS.error("dispatch", "dispatch failed for {}", current, failure);
          current.close(CloseCodes.SERVER_ERROR, "server error");
          return;
        }
        synchronized (current.order()) {
          if (reply != null) {
            current.reply(reply);
          }
          context.replied();
        }
      } finally {
        gate.callAnswered();
      }
    });
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    LOG.debug("websocket error on {}: {}", session, cause.toString());
    if (session != null) {
      session.depart(); // Jetty closes the connection after an error (an idle timeout among them)
    }
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus status, Callback callback) {
    ClientSession closed = session;
    if (transport != null) {
      transport.ended();
    }
    LOG.debug("session {} closed: {}", closed == null ? "?" : closed.id(), status);
    if (closed != null) {
      factory.ended(closed, hooks, status.getCode(), status.getReason());
    }
    callback.succeeded();
  }
}
