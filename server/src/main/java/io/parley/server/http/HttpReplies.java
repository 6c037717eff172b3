package io.parley.server.http;

import com.google.gson.JsonObject;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.protocol.JsonText;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one place HTTP answers are written, including the contract's JSON error shape
 * {@code {"error": {"status", "message"}}} and the mapping from wire error codes to statuses.
 */
public final class HttpReplies {
  static final String JSON = "application/json";

  private HttpReplies() {}

  public static void json(Response response, Callback callback, int status, String body) {
    text(response, callback, status, JSON, body);
  }

  static void text(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, body, callback);
  }

  public static void noContent(Response response, Callback callback) {
    response.setStatus(204);
    callback.succeeded();
  }

  /** A refusal with the contract's JSON error body, for routes outside this package (the upgrade). */
  public static void refuse(Response response, Callback callback, int status, String message) {
    error(response, callback, status, message);
  }

  static void error(Response response, Callback callback, int status, String message) {
    JsonObject inner = new JsonObject();
    inner.addProperty("status", status);
    inner.addProperty("message", message);
    JsonObject outer = new JsonObject();
    outer.add("error", inner);
    json(response, callback, status, JsonText.write(outer));
  }

  /**
   * A 413 for a body we stopped reading: the connection is closed after it, since the rest of the
   * body is still on its way and reading it all would defeat the limit.
   */
  static void tooLarge(Response response, Callback callback, String message) {
    closing(response);
    error(response, callback, 413, message);
  }

  /** Marks the answer as the connection's last: Jetty closes it once the answer is written. */
  static void closing(Response response) {
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
  }

  /**
   * A refusal that does not wait for the request's body (401, 404, 405...): the answer goes out at
   * once, and when there is a body the connection closes after it. What is already on its way is
   * thrown away first ({@link BodyReader#discard}, bounded, no thread held), so the client gets to
   * read the answer instead of a connection reset.
   */
  public static void refuseUnread(Request request, Response response, Callback callback, int status,
      String message) {
    if (!BodyReader.hasBody(request)) {
      error(response, callback, status, message);
      return;
    }
    closing(response);
    error(response, Callback.from(() -> BodyReader.discard(request, callback), callback::failed), status, message);
  }

  public static void methodNotAllowed(Request request, Response response, Callback callback, String allowed) {
    response.getHeaders().put(HttpHeader.ALLOW, allowed);
    refuseUnread(request, response, callback, 405,
        "method " + request.getMethod() + " is not allowed here; use " + allowed);
  }

  /** The HTTP status that fits a wire error. */
  static int statusOf(RpcException e) {
    switch (e.code()) {
      case ErrorCodes.INVALID_PARAMS:
      case ErrorCodes.INVALID_REQUEST:
      case ErrorCodes.PARSE_ERROR:
        return 400;
      case ErrorCodes.UNAUTHORIZED:
        return 401;
      case ErrorCodes.FORBIDDEN:
      case ErrorCodes.REJECTED: // the application's backend refused it (publish proxy)
        return 403;
      case ErrorCodes.TOO_LARGE:
        return 413;
      case ErrorCodes.RATE_LIMITED:
        return 429;
      case ErrorCodes.UNAVAILABLE:
        return 503;
      default:
        return 500;
    }
  }
}
