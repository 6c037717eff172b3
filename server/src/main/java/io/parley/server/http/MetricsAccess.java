package io.parley.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Who may read {@code /metrics}. In open mode, anyone (the node is open anyway). In token mode it
 * tells an attacker who the users are, how busy each room is and when the node is weak, so it needs
 * {@code PARLEY_ADMIN_TOKEN} as a Bearer token (what Prometheus's {@code authorization} setting
 * sends), or, with no admin token configured, a client on the node's own loopback address.
 * Stateless; the token is compared in constant time and never logged.
 */
public final class MetricsAccess {
  /** What a request gets: read the metrics, or the refusal's status. */
  public enum Verdict { ALLOWED, NO_TOKEN, WRONG_TOKEN, NOT_LOOPBACK }

  private static final String SCHEME = "Bearer ";

  private final boolean guarded;
  private final byte[] adminToken;

  private MetricsAccess(boolean guarded, String adminToken) {
    this.guarded = guarded;
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code adminToken}: {@code PARLEY_ADMIN_TOKEN}, or {@code null}. */
  public static MetricsAccess of(boolean tokenMode, String adminToken) {
    return new MetricsAccess(tokenMode, adminToken);
  }

  /** True when the request may read the metrics; otherwise the refusal (401 or 403) has been answered. */
  boolean admit(Request request, Response response, Callback callback) {
    Verdict verdict = judge(Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.AUTHORIZATION));
    switch (verdict) {
      case ALLOWED -> {
        return true;
      }
      case NOT_LOOPBACK -> HttpReplies.refuseUnread(request, response, callback, 403,
          "/metrics in token mode is served to loopback clients only, unless PARLEY_ADMIN_TOKEN is set");
      default -> {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"parley-admin\"");
        HttpReplies.refuseUnread(request, response, callback, 401, verdict == Verdict.NO_TOKEN
            ? "/metrics needs Authorization: Bearer <PARLEY_ADMIN_TOKEN>"
            : "/metrics: that is not the admin token");
      }
    }
    return false;
  }

  /**
   * The decision alone, from the client's address (an IP literal) and its {@code Authorization}
   * header; the operations page ({@code io.parley.server.admin}) applies the same rules.
   */
  public Verdict judge(String remoteAddress, String authorization) {
    if (!guarded) {
      return Verdict.ALLOWED;
    }
    if (adminToken == null) {
      return isLoopback(remoteAddress) ? Verdict.ALLOWED : Verdict.NOT_LOOPBACK;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Verdict.NO_TOKEN;
    }
    byte[] presented = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, adminToken) ? Verdict.ALLOWED : Verdict.WRONG_TOKEN;
  }

  private static boolean isLoopback(String address) {
    try {
      // An IP literal (Jetty's remote address), so no name is looked up.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
