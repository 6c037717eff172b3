package io.parley.server;

import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import io.parley.server.auth.Identity;
import io.parley.server.auth.TokenVerifier;
import io.parley.server.http.BearerAuth;
import io.parley.server.http.HttpReplies;
import io.parley.server.ws.EventStreams;
import io.parley.server.ws.SessionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /events}: opens a session over Server-Sent Events, admitted like a {@code /ws}
 * upgrade ({@link SessionAdmission}). In token mode it needs a token, from an {@code
 * Authorization: Bearer} header or, since a browser's {@code EventSource} cannot set headers, the
 * {@code token} query parameter (401 without a valid one; the URI is never logged). In open mode
 * the {@code name} parameter names the user (400 if it breaks the contract's rule for names), else
 * it is a guest. {@code HEAD /events} answers what a {@code GET} would get (204 when it would open
 * a stream, else the same refusal) without opening anything.
 */
final class EventsRoute implements Request.Handler {
  static final String NAME = "name";
  static final String TOKEN = "token";

  private final SessionAdmission admission;
  private final EventStreams streams;
  private final TokenVerifier verifier;

  /** {@code verifier}: token mode's, or {@code null} in open mode. */
  EventsRoute(SessionAdmission admission, EventStreams streams, TokenVerifier verifier) {
    this.admission = admission;
    this.streams = streams;
    this.verifier = verifier;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    boolean probe = "HEAD".equals(request.getMethod());
    if (!probe && !"GET".equals(request.getMethod())) {
      HttpReplies.methodNotAllowed(request, response, callback, "GET, HEAD");
      return true;
    }
    Fields query = Request.extractQueryParameters(request);
    String user = SessionFactory.guestName();
    if (!admission.tokenMode() && query.getValue(NAME) != null) {
      try {
        user = Names.user(NAME, query.getValue(NAME));
      } catch (RpcException e) {
        HttpReplies.refuseUnread(request, response, callback, 400, e.error().message());
        return true;
      }
    }
    SessionAdmission.Credentials credentials = (req, res, cb) -> token(query, req, res, cb);
    if (probe) {
      // A browser's EventSource shows no status: this tells its client a refusal (do not retry)
      // from a network failure, without opening anything.
      if (admission.wouldAdmit(request, response, callback, credentials) != null) {
        HttpReplies.noContent(response, callback);
      }
      return true;
    }
    SessionAdmission.Ticket ticket = admission.admit(request, response, callback, credentials);
    if (ticket != null) {
      streams.open(request, response, callback, user, admission.hooks(ticket));
    }
    return true;
  }

  /**
   * Token mode: the header's token, else the query's; neither is a 401 like a bad one. With a
   * connect proxy, neither opens a locked session that authenticates with {@code session.hello}
   * ({@code POST /rpc} with {@code Parley-Session}).
   */
  private Identity token(Fields query, Request request, Response response, Callback callback) {
    if (admission.connectProxy() && !BearerAuth.present(request) && query.getValue(TOKEN) == null) {
      return null;
    }
    Identity identity = BearerAuth.present(request)
        ? BearerAuth.authenticate(verifier, request, response, callback)
        : BearerAuth.authenticate(verifier, query.getValue(TOKEN), request, response, callback);
    return identity == null ? SessionAdmission.REFUSED : identity;
  }
}
