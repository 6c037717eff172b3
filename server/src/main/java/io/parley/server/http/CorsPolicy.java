package io.parley.server.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;

/**
 * Cross-origin access to the HTTP API ({@code POST /rpc}, {@code /api/...}) for the pages of
 * {@code PARLEY_ALLOWED_ORIGINS}, the same list that may open {@code /ws}: Jetty's own {@link
 * CrossOriginHandler} answers their preflights and adds the CORS headers to their requests. It
 * refuses nothing by itself: requests from other origins and every upgrade go on to the routes and
 * {@link OriginPolicy}, which decide as before, and a browser simply withholds an answer without
 * CORS headers from the page that asked.
 */
public final class CorsPolicy {
  /** How long a browser may reuse a preflight's answer. */
  static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(10);

  private CorsPolicy() {}

  /** Wraps {@code next} with CORS for {@code allowedOrigins} ({@code *}: any origin). */
  public static Handler around(Handler next, List<String> allowedOrigins) {
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(allowedOrigins.stream()
        .map(origin -> "*".equals(origin) ? ".*" : Pattern.quote(origin))
        .collect(Collectors.toSet()));
    cors.setAllowedMethods(Set.of("GET", "POST", "HEAD"));
    cors.setAllowedHeaders(Set.of("Content-Type", "Authorization", HttpRoutes.SESSION_HEADER));
    // Tokens travel in the Authorization header, never in cookies: no credentials to allow.
    cors.setAllowCredentials(false);
    cors.setPreflightMaxAge(PREFLIGHT_MAX_AGE);
    cors.setDeliverNonAllowedOriginRequests(true);
    cors.setDeliverNonAllowedOriginWebSocketUpgradeRequests(true);
    cors.setHandler(next);
    return cors;
  }
}
