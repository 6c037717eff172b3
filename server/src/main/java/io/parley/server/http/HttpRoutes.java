package io.parley.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.server.auth.Identity;
import io.parley.server.auth.TokenVerifier;
import io.parley.server.chat.MessageMethods;
import io.parley.server.rpc.CallContext;
import io.parley.server.rpc.RpcDispatcher;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every plain HTTP route of the contract, matched by path then method; {@code /} and the files of
 * the browser page come from {@link StaticFiles}. Anything unknown is a JSON 404, a known path
 * with the wrong method a JSON 405; both answer without reading a body, and close the connection
 * when there is one. Runs on Jetty's pooled threads (the default blocking invocation type), so the
 * short bounded work here (a readiness query) is allowed; request bodies are read without holding
 * a thread ({@link BodyReader}), and database work of the RPC methods goes through their own
 * executors.
 *
 * <p>In token mode {@code POST /rpc} and both {@code /api/rooms/{room}/messages} routes need
 * {@code Authorization: Bearer <jwt>} (401 without a valid one) and act as its {@code sub} within
 * its {@code rooms} claim (403 outside it); {@code /health}, {@code /ready}, {@code /metrics} and the
 * page stay open. Every {@code /api/...} request takes a token from its address's
 * rate limit before anything else ({@link AddressRateGate}), and every call in a {@code POST /rpc}
 * body one from the same bucket.
 *
 * <p>{@code GET /events} opens a session over Server-Sent Events (its own handler, given in); a
 * {@code POST /rpc} with a {@code Parley-Session} header acts in that session, under its budget and
 * token, instead of as a stateless HTTP caller (404 when no such stream is open).
 */
public final class HttpRoutes extends Handler.Abstract {
  /** Names the event-stream session a {@code POST /rpc} acts in. */
  public static final String SESSION_HEADER = "Parley-Session";
  private static final Pattern ROOM_MESSAGES = Pattern.compile("/api/rooms/([^/]+)/messages");

  private final Supplier<String> readiness;
  private final PrometheusMeterRegistry metrics;
  private final RpcRoute rpc;
  private final MessagesRoute messages;
  private final StaticFiles files = new StaticFiles();
  private final TokenVerifier verifier;
  private final MetricsAccess metricsAccess;
  private final AddressRateGate rates;
  private final SessionRoutes sessions;

  /**
   * @param readiness why the node is not ready, or {@code null} when it is (storage and broker answer)
   * @param verifier token mode's verifier, or {@code null} in open mode
   * @param rates the budget of each client address: per call on {@code POST /rpc}, per request on
   *     {@code /api/...}
   * @param sessions {@code GET /events}, the probe of {@code GET /ws} and calls in event-stream sessions
   */
  public HttpRoutes(Supplier<String> readiness, PrometheusMeterRegistry metrics, RpcDispatcher dispatcher,
      MessageMethods messageMethods, int maxBody, TokenVerifier verifier, AddressRateGate rates,
      MetricsAccess metricsAccess, SessionRoutes sessions) {
    this.sessions = sessions;
    this.metricsAccess = metricsAccess;
    this.rates = rates;
    this.verifier = verifier;
    this.readiness = readiness;
    this.metrics = metrics;
    this.rpc = new RpcRoute(dispatcher, maxBody);
    this.messages = new MessagesRoute(messageMethods, maxBody);
  }

  private CallContext limited(Request request, CallContext context) {
    return context.rateLimitedBy(rates.buckets().of(Request.getRemoteAddr(request)));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    switch (path) {
      case "/health":
        return only("GET", request, response, callback, () ->
            HttpReplies.json(response, callback, 200, "{\"status\":\"up\"}"));
      case "/ready":
        return only("GET", request, response, callback, () -> ready(response, callback));
      case "/metrics":
        return only("GET", request, response, callback, () -> {
          if (metricsAccess.admit(request, response, callback)) {
            HttpReplies.text(response, callback, 200, "text/plain; version=0.0.4", metrics.scrape());
          }
        });
      case "/events":
        return sessions.events().handle(request, response, callback);
      case "/rpc":
        if (!"POST".equals(method)) {
          HttpReplies.methodNotAllowed(request, response, callback, "POST");
        } else if (request.getHeaders().get(SESSION_HEADER) != null) {
          inStreamSession(request, response, callback);
        } else if (verifier == null) {
          rpc.handle(request, response, callback, limited(request, CallContext.http(RpcRoute.HTTP_USER)));
        } else {
          Identity identity = BearerAuth.authenticate(verifier, request, response, callback);
          if (identity != null) {
            rpc.handle(request, response, callback,
                limited(request, CallContext.http(identity.user(), identity.rooms(), identity.mayBroadcast(),
                    identity.admin())));
          }
        }
        return true;
      case "/ws":
        return only("GET", request, response, callback, () -> sessions.upgradeProbe().handle(request, response, callback));
      default:
        if (files.serves(path)) {
          return only("GET", request, response, callback, () -> files.serve(path, request, response, callback));
        }
        return roomMessages(path, method, request, response, callback);
    }
  }

  /**
   * A call in an event-stream session: it acts as that session (its user, rooms, token and call
   * budget), whose stream was authenticated when it opened; the reply comes back here, the
   * session's notifications down its stream.
   */
  private void inStreamSession(Request request, Response response, Callback callback) {
    CallContext context = sessions.streamCalls().apply(request.getHeaders().get(SESSION_HEADER));
    if (context == null) {
      // A miss costs the address a token, so guessing names is as slow as any other abuse.
      if (!rates.admit(request, response, callback)) {
        return;
      }
      HttpReplies.refuseUnread(request, response, callback, 404, SESSION_HEADER
          + " names no open event-stream session: it has ended (open GET /events again) or never existed");
      return;
    }
    rpc.handle(request, response, callback, context);
  }

  private boolean roomMessages(String path, String method, Request request, Response response, Callback callback)
      throws Exception {
    Matcher m = ROOM_MESSAGES.matcher(path);
    if (!m.matches()) {
      HttpReplies.refuseUnread(request, response, callback, 404, "no route for " + path);
      return true;
    }
    String room = m.group(1);
    if (!rates.admit(request, response, callback)) {
      return true;
    }
    if ("GET".equals(method) && verifier == null) {
      messages.get(room, request, response, callback, null);
    } else if ("GET".equals(method)) {
      // Token mode: history is read as the token's holder, within its rooms claim, like chat.history.
      Identity identity = BearerAuth.authenticate(verifier, request, response, callback);
      if (identity != null) {
        messages.get(room, request, response, callback, identity);
      }
    } else if ("POST".equals(method) && verifier == null) {
      messages.post(room, request, response, callback, null);
    } else if ("POST".equals(method)) {
      Identity identity = BearerAuth.authenticate(verifier, request, response, callback);
      if (identity != null) {
        messages.post(room, request, response, callback, identity);
      }
    } else {
      HttpReplies.methodNotAllowed(request, response, callback, "GET, POST");
    }
    return true;
  }

  private void ready(Response response, Callback callback) {
    String problem = readiness.get();
    if (problem == null) {
      HttpReplies.json(response, callback, 200, "{\"status\":\"ready\"}");
    } else {
      HttpReplies.error(response, callback, 503, problem);
    }
  }

  private interface Action {
    void run() throws Exception;
  }

  private static boolean only(String allowed, Request request, Response response, Callback callback, Action action)
      throws Exception {
    String method = request.getMethod();
    if (allowed.equals(method) || ("GET".equals(allowed) && "HEAD".equals(method))) {
      action.run();
    } else {
      HttpReplies.methodNotAllowed(request, response, callback, allowed);
    }
    return true;
  }
}
