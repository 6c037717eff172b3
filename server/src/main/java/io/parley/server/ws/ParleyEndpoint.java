package io.parley.server.ws;

import io.parley.protocol.CloseCodes;
import io.parley.server.rpc.CallContext;
import io.parley.server.rpc.IncidentLog;
import io.parley.server.limits.TokenBucket;
import io.parley.server.rpc.RpcDispatcher;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;
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
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final IncidentLog INCIDENTS = new IncidentLog(LOG);

  private final RpcDispatcher dispatcher;
  private final SessionRegistry sessions;
  private final SessionHooks hooks;
  private final long outboundLimit;
  private final Supplier<TokenBucket> buckets;
  private final Runnable onOverflow;
  private final String address;
  private final NodeBacklog node;
  private ClientSession session;
  private IncomingMessage incoming;
  private CoreSession core;
  private JettyTransport transport;
  private ReadGate gate;

  /**
   * @param hooks what runs when the session opens, departs and closes
   * @param buckets makes the new session's call budget ({@code null}: unlimited)
   * @param onOverflow runs when the session's outbound queue overflows (a slow consumer)
   * @param node the node's unwritten bytes, shared by all its sessions
   * @param address the client address the upgrade was counted under (behind a trusted proxy the
   *     forwarded one; the socket's peer would be the proxy), for log lines
   */
  public ParleyEndpoint(RpcDispatcher dispatcher, SessionRegistry sessions, SessionHooks hooks, long outboundLimit, Supplier<TokenBucket> buckets, Runnable onOverflow,
      NodeBacklog node, String address) {
    this.address = address;
    this.node = node;
    this.dispatcher = dispatcher;
    this.sessions = sessions;
    this.hooks = hooks;
    this.outboundLimit = outboundLimit;
    this.buckets = buckets;
    this.onOverflow = onOverflow;
  }

  @Override
  public void onOpen(CoreSession core, Callback callback) {
    String id = randomHex(8);
    this.core = core;
    this.incoming = new IncomingMessage(core.getMaxTextMessageSize());
    this.transport = new JettyTransport(core);
    session = new ClientSession(id, "guest-" + randomHex(3), transport, outboundLimit,
        buckets.get(), () -> {
          LOG.info("closing session {} from {} with 1013: more than {} bytes of notifications not written",
              id, address, outboundLimit);
          onOverflow.run();
        }, node);
    gate = new ReadGate(core::demand, session.outbound());
    session.readThrough(gate);
    ClientSession opened = session;
    opened.onDepart(() -> hooks.departed().accept(opened));
    hooks.opened().accept(opened);
    sessions.add(session);
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
      closed.closedWith(status.getCode(), status.getReason());
      closed.outbound().shutdown(); // also drops the reads it still had queued
      sessions.remove(closed);
      closed.depart();
      hooks.closed().accept(closed);
    }
    callback.succeeded();
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
