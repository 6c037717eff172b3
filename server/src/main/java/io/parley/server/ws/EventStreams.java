package io.parley.server.ws;

import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import io.parley.server.rpc.CallContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sessions over Server-Sent Events ({@code GET /events}), for networks that block WebSocket
 * upgrades. Each is a full session made by the same {@link SessionFactory} as a WebSocket's: the
 * same registry, rooms, presence, outbound bound (a stream that falls too far behind is closed
 * instead of a 1013) and token expiry. Its calls arrive as {@code POST /rpc} requests naming it
 * ({@link #callsOf}); their replies go back on those requests, its notifications on the stream.
 *
 * <p>A comment goes down every stream every {@link #KEEP_ALIVE} (the contract asks for one at
 * least every 15 s), from one thread ({@code parley-sse-keepalive}); a stream whose writes stall
 * for the connection's idle timeout (30 s) ends the session like a dropped WebSocket.
 */
public final class EventStreams implements AutoCloseable {
  /** How often a stream gets a comment: within the contract's 15 s, with room for a slow write. */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
  /**
   * Bytes of the public half of an event-stream session's name: its id in logs, metrics and the
   * operations page, like a WebSocket session's id.
   */
  private static final int ID_BYTES = 8;
  /**
   * Bytes of the secret half. The whole name ({@code id} then {@code secret}, 32 hex characters) is
   * all a {@code POST /rpc} needs to act in the session, so it must be as hard to guess as a bearer
   * token and must not be written where logs and operators see the id: only the stream's first
   * event carries it.
   */
  private static final int SECRET_BYTES = 8;
  private static final int ID_HEX = 2 * ID_BYTES;
  private static final int NAME_HEX = 2 * (ID_BYTES + SECRET_BYTES);
  /**
   * Between the node's id and the hex in a session's name. Node ids have no dot, so a balancer
   * can route a {@code Parley-Session} call to the node that holds the stream by the name's
   * prefix (deploy/nginx.conf does).
   */
  private static final char NODE_MARK = '.';

  private final SessionFactory factory;
  private final SessionRegistry sessions;
  private final String nodePrefix;
  private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parley-sse-keepalive");
    t.setDaemon(true);
    return t;
  });

  /** @param nodeId this node's id: the first part of its event-stream sessions' names */
  public EventStreams(SessionFactory factory, SessionRegistry sessions, String nodeId) {
    this.factory = factory;
    this.sessions = sessions;
    this.nodePrefix = nodeId + NODE_MARK;
    long every = KEEP_ALIVE.toMillis();
    keepAlive.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens a session for {@code user} on this {@code GET /events} exchange; the request's callback
   * completes when the stream ends. Its first event is {@code session} with its id and user.
   */
  public ClientSession open(Request request, Response response, Callback callback, String user, SessionHooks hooks) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // nginx buffers proxied answers by default, which would hold events back.
    response.getHeaders().put("X-Accel-Buffering", "no");
    SseTransport transport = new SseTransport(request, response, callback, SessionFactory.randomId(SECRET_BYTES));
    ClientSession session = factory.open(SessionFactory.randomId(ID_BYTES), user, transport, hooks);
    transport.onWritten(session::heard);
    transport.onEnded((code, reason) -> factory.ended(session, hooks, code, reason));
    JsonObject hello = new JsonObject();
    hello.addProperty("session", nodePrefix + session.id() + transport.secret());
    hello.addProperty("user", session.user());
    transport.start(SseEvents.event("session", JsonText.write(hello)));
    return session;
  }

  /**
   * The context for calls in the event-stream session named {@code name} (the stream's first
   * event gave it: {@code <node>.<id><secret>}), counted as one message read from it, or {@code
   * null} when there is no such open session here: it ended, the secret is wrong, it is another
   * node's (a balancer must route by the name's node), or it names a WebSocket session (those
   * act only through their own connection).
   */
  public CallContext callsOf(String name) {
    if (name == null || !name.startsWith(nodePrefix) || name.length() != nodePrefix.length() + NAME_HEX) {
      return null;
    }
    String hex = name.substring(nodePrefix.length());
    ClientSession session = sessions.get(hex.substring(0, ID_HEX));
    if (session == null || !(session.transport() instanceof SseTransport stream)
        || !stream.hasSecret(hex.substring(ID_HEX)) || session.isDeparting()) {
      return null;
    }
    session.received();
    return CallContext.of(session);
  }

  private void keepAlive() {
    for (ClientSession session : sessions.all()) {
      if (Transport.SSE.equals(session.transportKind())) {
        session.ping();
      }
    }
  }

  @Override
  public void close() {
    keepAlive.shutdownNow();
  }
}
