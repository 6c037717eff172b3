package io.parley.server;

import io.parley.server.auth.Identity;
import io.parley.server.auth.TokenVerifier;
import io.parley.server.config.ServerConfig;
import io.parley.server.http.BearerAuth;
import io.parley.server.rpc.RpcDispatcher;
import io.parley.server.ws.ParleyEndpoint;
import io.parley.server.ws.SessionFactory;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The {@code /ws} upgrade: frame limits (Jetty closes with 1009 past them), idle timeout, and the
 * endpoint factory. {@link SessionAdmission} decides who may open a session, as it does for event
 * streams. In token mode an {@code Authorization: Bearer <jwt>} header on the upgrade
 * authenticates the session at once, and a bad one is refused with 401; without the header the
 * session starts locked (see {@link io.parley.server.auth.SessionGuard}). With pings on, the idle
 * timeout is two ping intervals.
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
  private final SessionAdmission admission;
  private final SessionFactory factory;
  private final TokenVerifier verifier;

  /** {@code verifier}: token mode's, or {@code null} in open mode. */
  WebSocketRoute(ServerConfig config, RpcDispatcher dispatcher, SessionAdmission admission, SessionFactory factory,
      TokenVerifier verifier) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.admission = admission;
    this.factory = factory;
    this.verifier = verifier;
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
      SessionAdmission.Ticket ticket = admission.admit(request, response, callback, this::bearer);
      if (ticket == null) {
        return null;
      }
      response.setExtensions(accepted(request.getExtensions()));
      return new ParleyEndpoint(dispatcher, factory, admission.hooks(ticket));
    });
    return upgrade;
  }

  /** A Bearer header authenticates the session at once (401 if bad); without one it starts locked. */
  private Identity bearer(Request request, Response response, Callback callback) {
    if (!BearerAuth.present(request)) {
      return null;
    }
    Identity identity = BearerAuth.authenticate(verifier, request, response, callback);
    return identity == null ? SessionAdmission.REFUSED : identity;
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

}
