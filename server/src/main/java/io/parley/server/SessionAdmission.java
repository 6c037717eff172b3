package io.parley.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.server.auth.Identity;
import io.parley.server.auth.SessionGuard;
import io.parley.server.backend.ConnectProxy;
import io.parley.server.backend.Handshake;
import io.parley.server.config.ServerConfig;
import io.parley.server.http.AddressRateGate;
import io.parley.server.http.HttpReplies;
import io.parley.server.http.OriginPolicy;
import io.parley.server.limits.AddressCounter;
import io.parley.server.limits.LimitMetrics;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.SessionHooks;
import io.parley.server.ws.SessionLifecycle;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Who may open a session, over either transport ({@code /ws} upgrades and {@code GET /events}):
 * the client address's rate limit (429 with {@code Retry-After}, see {@link AddressRateGate}), a
 * browser page from a foreign origin (403, see {@link OriginPolicy}), a draining server (503), the
 * token (the transport's own rule, see {@link Credentials}) and {@code
 * PARLEY_MAX_SESSIONS_PER_ADDRESS} open sessions per client address (429; counted here, released
 * when the session closes). Every refusal is a plain HTTP answer before any session exists. Nothing
 * here logs the request URI, whose query may hold a token. Thread-safe.
 */
final class SessionAdmission {
  /** How a transport's request shows its token: the rule differs, the refusal does not. */
  interface Credentials {
    /**
     * The identity the request proves, {@code null} for none (a session that starts locked), or
     * {@link #REFUSED} after answering the refusal itself.
     */
    Identity of(Request request, Response response, Callback callback);
  }

  /** What {@link Credentials#of} returns after it answered a refusal. */
  static final Identity REFUSED = new Identity("refused", null, null, false);

  /**
   * An admitted request: the session to open counts against {@code address}; {@code handshake}
   * is what the connect proxy is told of the request ({@code null} without one).
   */
  record Ticket(String address, Identity identity, Handshake handshake) {}

  private final ServerConfig config;
  private final SessionGuard guard;
  private final LimitMetrics limits;
  private final AddressRateGate rates;
  private final AddressCounter addresses;
  private final OriginPolicy origins;
  private final SessionLifecycle lifecycle;
  private final Counter originRefusals;
  private final Consumer<ClientSession> onDepart;
  private final ConnectProxy connect;
  private volatile boolean refusing;

  /**
   * {@code guard}: the guard of locked sessions (token mode, a connect proxy), or {@code null} in
   * open mode; {@code connect}: the connect proxy, or {@code null}.
   */
  SessionAdmission(ServerConfig config, SessionGuard guard, LimitMetrics limits, AddressRateGate rates,
      MeterRegistry registry, Consumer<ClientSession> onDepart, ConnectProxy connect) {
    this.connect = connect;
    this.config = config;
    this.guard = guard;
    this.limits = limits;
    this.rates = rates;
    this.onDepart = onDepart;
    this.addresses = new AddressCounter(config.maxSessionsPerAddress());
    this.origins = OriginPolicy.of(config.allowedOrigins());
    this.lifecycle = new SessionLifecycle(config.nodeId(), registry);
    this.originRefusals = Counter.builder("parley.origin.refused")
        .description("WebSocket upgrades and event streams refused (403) because the page's Origin is not allowed")
        .register(registry);
  }

  /** True in token mode, and with a connect proxy: sessions start locked. */
  boolean tokenMode() {
    return guard != null;
  }

  /** True with a connect proxy: a session may open without a token and say hello with credentials. */
  boolean connectProxy() {
    return connect != null;
  }

  /** Admits the request, or answers its refusal and returns {@code null}. */
  Ticket admit(Request request, Response response, Callback callback, Credentials credentials) {
    return decide(request, response, callback, credentials, true);
  }

  /**
   * Answers as {@link #admit} would, without admitting: {@code null} after a refusal, else a ticket
   * that holds no place in the address's count. For a client that cannot see why its stream failed.
   */
  Ticket wouldAdmit(Request request, Response response, Callback callback, Credentials credentials) {
    return decide(request, response, callback, credentials, false);
  }

  private Ticket decide(Request request, Response response, Callback callback, Credentials credentials,
      boolean acquire) {
    if (!rates.admit(request, response, callback)) {
      return null;
    }
    if (!originAllowed(request)) {
      originRefusals.increment();
      OriginPolicy.refuse(request.getHeaders().get(HttpHeader.ORIGIN), response, callback);
      return null;
    }
    if (refusing) {
      Response.writeError(request, response, callback, 503, "server shutting down");
      return null;
    }
    Identity identity = guard == null ? null : credentials.of(request, response, callback);
    if (identity == REFUSED) {
      return null;
    }
    String address = Request.getRemoteAddr(request);
    boolean room = acquire ? addresses.tryAcquire(address) : addresses.count(address) < config.maxSessionsPerAddress();
    if (!room) {
      limits.tripped(LimitMetrics.SESSIONS_PER_ADDRESS);
      HttpReplies.refuse(response, callback, 429, "too many sessions from your address (at most "
          + config.maxSessionsPerAddress() + ")");
      return null;
    }
    return new Ticket(address, identity, connect == null ? null : Handshake.of(request));
  }

  /**
   * A plain {@code GET /ws}: answers what an upgrade from here would get now, without opening
   * anything: the refusal {@link #admit} would give (429, 403, 503; 429 too at the address's
   * session limit), else 426 with {@code Upgrade: websocket}. A browser cannot see why its upgrade
   * failed; this tells it whether the server refused (do not fall back) or the network in between
   * dropped the upgrade (fall back to {@code GET /events}). Tokens are not looked at: a browser
   * sends its token after the upgrade.
   */
  boolean probe(Request request, Response response, Callback callback) {
    if (wouldAdmit(request, response, callback, (req, res, cb) -> null) != null) {
      response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
      HttpReplies.refuseUnread(request, response, callback, 426,
          "/ws expects a WebSocket upgrade request; one from here would be accepted");
    }
    return true;
  }


  /**
   * What runs as the admitted session opens and closes: token mode's guard (authenticated by the
   * ticket's identity, or locked until its deadline), the session log lines, the address count.
   */
  SessionHooks hooks(Ticket ticket) {
    Consumer<ClientSession> opened = session -> {
      if (connect != null) {
        connect.opened(session, ticket.handshake());
      }
      if (guard != null) {
        guard.opened(session, ticket.identity());
      }
      lifecycle.opened(session, ticket.address());
    };
    Consumer<ClientSession> closed = session -> {
      lifecycle.closed(session, ticket.address());
      addresses.release(ticket.address());
      if (guard != null) {
        guard.closed(session);
      }
      if (connect != null) {
        connect.closed(session);
      }
    };
    return new SessionHooks(opened, onDepart, closed);
  }

  private boolean originAllowed(Request request) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      host = request.getHttpURI().getAuthority();
    }
    return origins.allows(request.getHeaders().get(HttpHeader.ORIGIN), request.isSecure() ? "https" : "http", host);
  }

  /** From now on every new session is refused with 503: the server is stopping. */
  void refuseNewSessions() {
    refusing = true;
  }
}
