package io.parley.server.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's error handler: the answers Jetty writes itself (a request its parser or URI
 * compliance refuses, such as {@code GET /..}, {@code //} or {@code %00}; a handler that failed;
 * {@code Response.writeError}) in the contract's JSON shape {@code {"error": {"status",
 * "message"}}} instead of Jetty's HTML page. The message is Jetty's reason for a 4xx (it says
 * what was wrong with the request); a 5xx says only the status' name, since its cause is ours
 * and may name classes. Never a stack trace. Stateless.
 */
public final class JsonErrorHandler extends ErrorHandler {
  /** Long enough for any reason Jetty gives; cuts anything else before it reaches the wire. */
  private static final int MAX_MESSAGE = 200;

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      if (message == null) {
        message = http.getReason();
      }
    } else if (cause != null) {
      // An unexpected failure: its message would be the exception's, not meant for clients.
      message = null;
    }
    if (status < 400 || status >= 500 || message == null || message.isBlank()) {
      message = HttpStatus.getMessage(status);
    }
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    if (HttpStatus.hasNoBody(status)) {
      response.setStatus(status);
      callback.succeeded();
    } else {
      HttpReplies.error(response, callback, status, message);
    }
    return true;
  }
}
