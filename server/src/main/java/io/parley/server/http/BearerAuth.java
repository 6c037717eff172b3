package io.parley.server.http;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.server.auth.Identity;
import io.parley.server.auth.TokenVerifier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Token mode over HTTP: reads {@code Authorization: Bearer <jwt>} and answers the refusals as the
 * contract's JSON errors, 401 with a {@code WWW-Authenticate: Bearer} challenge. Used by the
 * publishing routes and by the {@code /ws} upgrade. Stateless; tokens are never logged.
 */
public final class BearerAuth {
  private static final String SCHEME = "Bearer ";

  private BearerAuth() {}

  /** True if the request carries an {@code Authorization} header at all. */
  public static boolean present(Request request) {
    return request.getHeaders().get(HttpHeader.AUTHORIZATION) != null;
  }

  /**
   * The identity of the request's Bearer token, or {@code null} after answering 401 (no header, not
   * the Bearer scheme, or a token the verifier refuses), without reading the body; the connection
   * closes after the answer when there is one.
   */
  public static Identity authenticate(TokenVerifier verifier, Request request, Response response, Callback callback) {
    try {
      return verifier.verify(token(request));
    } catch (RpcException e) {
      refuse(request, response, callback, e);
      return null;
    }
  }

  /**
   * Like {@link #authenticate(TokenVerifier, Request, Response, Callback)} for a token that came
   * some other way (a query parameter where a browser cannot set headers); {@code null} counts as
   * missing.
   */
  public static Identity authenticate(TokenVerifier verifier, String token, Request request, Response response,
      Callback callback) {
    try {
      return verifier.verify(token);
    } catch (RpcException e) {
      refuse(request, response, callback, e);
      return null;
    }
  }

  private static String token(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new RpcException(ErrorCodes.UNAUTHORIZED, "Unauthorized: expected Authorization: Bearer <jwt>");
    }
    return header.substring(SCHEME.length()).trim();
  }

  /** Answers without reading the body: an unauthenticated client gets no say over our threads or time. */
  private static void refuse(Request request, Response response, Callback callback, RpcException e) {
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"parley\"");
    HttpReplies.refuseUnread(request, response, callback, 401, e.error().message());
  }
}
