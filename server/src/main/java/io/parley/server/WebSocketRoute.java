package io.parley.server;

import io.parley.server.config.ServerConfig;
import io.parley.server.http.OriginPolicy;
import io.parley.server.rpc.RpcDispatcher;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.ParleyEndpoint;
import io.parley.server.ws.SessionRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The {@code /ws} upgrade: frame limits (Jetty closes with 1009 past them), idle timeout, and the
 * endpoint factory, which refuses a browser page from a foreign origin with 403 (see
 * {@link OriginPolicy}) and new sessions with 503 once the server is draining. Both refusals
 * happen before the upgrade, as plain HTTP answers.
 */
final class WebSocketRoute {
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final ServerConfig config;
  private final RpcDispatcher dispatcher;
  private final SessionRegistry sessions;
  private final Consumer<ClientSession> onClose;
  private final OriginPolicy origins;
  private volatile boolean refusing;

  WebSocketRoute(ServerConfig config, RpcDispatcher dispatcher, SessionRegistry sessions,
      Consumer<ClientSession> onClose) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.sessions = sessions;
    this.onClose = onClose;
    this.origins = OriginPolicy.of(config.allowedOrigins());
  }

  WebSocketUpgradeHandler install(Server server) {
    return WebSocketUpgradeHandler.from(server, container -> {
      container.setMaxTextMessageSize(config.maxFrame());
      container.setMaxBinaryMessageSize(config.maxFrame());
      container.setMaxFrameSize(config.maxFrame());
      container.setIdleTimeout(IDLE_TIMEOUT);
      container.addMapping("/ws", (request, response, callback) -> {
        if (!originAllowed(request)) {
          OriginPolicy.refuse(request.getHeaders().get(HttpHeader.ORIGIN), response, callback);
          return null;
        }
        if (refusing) {
          Response.writeError(request, response, callback, 503, "server shutting down");
          return null;
        }
        return new ParleyEndpoint(dispatcher, sessions, onClose, config.outboundLimit());
      });
    });
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
