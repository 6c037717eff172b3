package io.parley.server.backend;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * What the connect proxy is told about the request that opened a session (the {@code /ws}
 * upgrade or the {@code GET /events}): its cookies and user agent, and the client's address.
 * Kept per session from the upgrade until it closes, since the request itself is gone by {@code
 * session.hello}; never logged (cookies are credentials).
 *
 * @param cookie the {@code Cookie} header (several joined with {@code "; "}), or {@code null}
 * @param userAgent the {@code User-Agent} header, or {@code null}
 * @param remoteAddr the client's address (the forwarded one behind trusted proxies)
 */
public record Handshake(String cookie, String userAgent, String remoteAddr) {

  /** The handshake of {@code request}. */
  public static Handshake of(Request request) {
    List<String> cookies = request.getHeaders().getFields(HttpHeader.COOKIE).stream().map(HttpField::getValue)
        .toList();
    return new Handshake(cookies.isEmpty() ? null : String.join("; ", cookies),
        request.getHeaders().get(HttpHeader.USER_AGENT), Request.getRemoteAddr(request));
  }

  @Override
  public String toString() {
    return "Handshake[cookie=" + (cookie == null ? "none" : "(hidden)") + ", remoteAddr=" + remoteAddr + "]";
  }
}
