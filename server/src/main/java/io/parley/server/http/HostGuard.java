package io.parley.server.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The outermost handler: refuses every request whose {@code Host} the {@link HostPolicy} does not
 * allow, HTTP routes and WebSocket upgrades alike, with {@code 421 Misdirected Request} (this
 * server is not the one that name is for) and the JSON error, before any route, and without
 * reading the body. 421 rather than 403: nothing is wrong with the client's rights, it reached
 * the wrong server by that name. Thread-safe.
 */
public final class HostGuard extends Handler.Wrapper {
  static final int MISDIRECTED = 421;
  /** Enough of a refused {@code Host} to recognise it, not an echo of whatever was sent. */
  private static final int MAX_ECHO = 100;

  private final HostPolicy policy;

  public HostGuard(HostPolicy policy, Handler next) {
    super(next);
    this.policy = policy;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (policy.allows(host)) {
      return super.handle(request, response, callback);
    }
    String shown = host.length() > MAX_ECHO ? host.substring(0, MAX_ECHO) + "…" : host;
    HttpReplies.refuseUnread(request, response, callback, MISDIRECTED, "this server does not answer for Host \""
        + shown + "\"; it answers for loopback names, IP addresses, the hosts of PARLEY_ALLOWED_ORIGINS"
        + " and PARLEY_ALLOWED_HOSTS");
    return true;
  }
}
