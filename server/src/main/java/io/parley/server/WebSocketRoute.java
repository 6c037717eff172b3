package io.parley.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.server.auth.Identity;
import io.parley.server.auth.SessionGuard;
import io.parley.server.auth.TokenVerifier;
import io.parley.server.config.ServerConfig;
import io.parley.server.http.AddressRateGate;
import io.parley.server.http.BearerAuth;
import io.parley.server.http.HttpReplies;
import io.parley.server.http.OriginPolicy;
import io.parley.server.limits.AddressCounter;
import io.parley.server.limits.LimitMetrics;
import io.parley.server.limits.TokenBucket;
import io.parley.server.rpc.RpcDispatcher;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.NodeBacklog;
import io.parley.server.ws.ParleyEndpoint;
import io.parley.server.ws.SessionHooks;
import io.parley.server.ws.SessionLifecycle;
import io.parley.server.ws.SessionRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The {@code /ws} upgrade: frame limits (Jetty closes with 1009 past them), idle timeout, and the
 * endpoint factory, which takes a token from the client address's rate limit (429 with
 * {@code Retry-After} past it, see {@link AddressRateGate}), refuses a browser page from a foreign
 * origin with 403 (see
 * {@link OriginPolicy}), new sessions with 503 once the server is draining, and with 429 past
 * {@code PARLEY_MAX_SESSIONS_PER_ADDRESS} open sessions from one client address (counted here,
 * released when the session closes). Each session gets its own call budget (a token bucket), and
 * with pings on the idle timeout is two ping intervals. In token mode an
 * {@code Authorization: Bearer <jwt>} header on the upgrade authenticates the session at once, and
 * a bad one is refused with 401; without the header the session starts locked (see
 * {@link SessionGuard}). All refusals happen before the upgrade, as plain HTTP answers. Nothing
 * here logs the request URI, whose query a careless client may have put a token in.
 *
 * <p>An accepted upgrade gets permessage-deflate (Jetty's extension) when the client offers it
 * and {@code PARLEY_COMPRESSION} is on, and no other extension (see {@code accepted}). The frame
 * limits then apply to the inflated message: Jetty hands compressed messages on in inflated
 * pieces of at most 8 KiB, and the endpoint stops collecting them at the limit (1009).
 */
final class WebSocketRoute {
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
  private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

  private final ServerConfig config;
  private final RpcDispatcher dispatcher;
  private final SessionRegistry sessions;
  private final Consumer<ClientSession> onDepart;
  private final OriginPolicy origins;
  private final SessionGuard guard;
  private final TokenVerifier verifier;
  private final LimitMetrics limits;
  private final AddressCounter addresses;
  private final AddressRateGate rates;
  private final NodeBacklog backlog;
  private final SessionLifecycle lifecycle;
  private final Counter originRefusals;
  private volatile boolean refusing;

  /** {@code guard} and {@code verifier}: token mode's, or both {@code null} in open mode. */
  WebSocketRoute(ServerConfig config, RpcDispatcher dispatcher, SessionRegistry sessions,
      Consumer<ClientSession> onDepart, SessionGuard guard, TokenVerifier verifier, LimitMetrics limits,
      AddressRateGate rates, MeterRegistry registry, NodeBacklog backlog) {
    this.backlog = backlog;
    this.limits = limits;
    this.rates = rates;
    this.addresses = new AddressCounter(config.maxSessionsPerAddress());
    this.guard = guard;
    this.verifier = verifier;
    this.config = config;
    this.dispatcher = dispatcher;
    this.sessions = sessions;
    this.onDepart = onDepart;
    this.origins = OriginPolicy.of(config.allowedOrigins());
    this.lifecycle = new SessionLifecycle(config.nodeId(), registry);
    this.originRefusals = Counter.builder("parley.origin.refused")
        .description("WebSocket upgrades refused (403) because the page's Origin is not allowed").register(registry);
  }

  WebSocketUpgradeHandler install(Server server) {
    WebSocketUpgradeHandler upgrade =
        new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
    Configuration frames = upgrade.getConfiguration();
    frames.setMaxTextMessageSize(config.maxFrame());
    frames.setMaxBinaryMessageSize(config.maxFrame());
    frames.setMaxFrameSize(config.maxFrame());
    frames.setIdleTimeout(config.pingInterval() == 0 ? IDLE_TIMEOUT
        : Duration.ofSeconds(2L * config.pingInterval()));
    upgrade.addMapping("/ws", (request, response, callback) -> {
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
      Identity identity = null;
      if (guard != null && BearerAuth.present(request)) {
        identity = BearerAuth.authenticate(verifier, request, response, callback);
        if (identity == null) {
          return null;
        }
      }
      // Behind a trusted proxy, the forwarded client's (see ForwardedClient).
      String address = Request.getRemoteAddr(request);
      if (!addresses.tryAcquire(address)) {
        limits.tripped(LimitMetrics.SESSIONS_PER_ADDRESS);
        HttpReplies.refuse(response, callback, 429, "too many sessions from your address (at most "
            + config.maxSessionsPerAddress() + ")");
        return null;
      }
      response.setExtensions(accepted(request.getExtensions()));
      Identity upgradeIdentity = identity;
      Consumer<ClientSession> opened = session -> {
        if (guard != null) {
          guard.opened(session, upgradeIdentity);
        }
        lifecycle.opened(session, address);
      };
      Consumer<ClientSession> closed = session -> {
        lifecycle.closed(session, address);
        addresses.release(address);
        if (guard != null) {
          guard.closed(session);
        }
      };
      return new ParleyEndpoint(dispatcher, sessions, new SessionHooks(opened, onDepart, closed), config.outboundLimit(),
          () -> new TokenBucket(config.rateLimit(), config.rateBurst(), System::nanoTime),
          () -> limits.tripped(LimitMetrics.SLOW_CONSUMER), backlog, address);
    });
    return upgrade;
  }

  /**
   * The extensions the session gets: with {@code PARLEY_COMPRESSION} on, the client's first
   * acceptable permessage-deflate offer; nothing else, ever. Jetty by itself would accept any
   * offer it has a class for, its test extensions among them ({@code fragment;maxLength=1} would
   * cut every message the server sends into one-byte frames), and would accept a
   * permessage-deflate offer whose parameters it ignores (see {@link #acceptable}).
   */
  private List<ExtensionConfig> accepted(List<ExtensionConfig> offered) {
    if (!config.compression()) {
      return List.of();
    }
    return offered.stream().filter(WebSocketRoute::acceptable).limit(1).toList();
  }

  /**
   * A permessage-deflate offer whose parameters Jetty honours. RFC 7692 7.1: a server declines an
   * offer with a parameter it does not know; Jetty does not support {@code server_max_window_bits}
   * (it always compresses with a 32 KiB window), so an offer asking for a smaller one is declined
   * rather than answered with frames the client may not inflate. {@code client_max_window_bits}
   * only permits the server to limit the client's window, which it does not.
   */
  private static boolean acceptable(ExtensionConfig offer) {
    if (!PERMESSAGE_DEFLATE.equals(offer.getName())) {
      return false;
    }
    for (String key : offer.getParameterKeys()) {
      switch (key.trim()) {
        case "client_max_window_bits", "client_no_context_takeover", "server_no_context_takeover" -> { }
        case "server_max_window_bits" -> {
          if (!"15".equals(offer.getParameter(key, (String) null))) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  private boolean originAllowed(Request request) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      host = request.getHttpURI().getAuthority();
    }
    return origins.allows(request.getHeaders().get(HttpHeader.ORIGIN), request.isSecure() ? "https" : "http", host);
  }

  void refuseNewSessions() {
    refusing = true;
  }
}
