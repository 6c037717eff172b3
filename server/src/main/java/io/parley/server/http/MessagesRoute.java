package io.parley.server.http;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import io.parley.protocol.JsonText;
import io.parley.protocol.types.PostMessageBody;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.SendParams;
import io.parley.server.auth.Identity;
import io.parley.server.chat.MessageMethods;
import io.parley.server.rpc.CallContext;
import java.nio.charset.CharacterCodingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET|POST /api/rooms/{room}/messages}: history and publishing for plain HTTP clients, with
 * the same rules as {@code chat.history} and {@code chat.send} and errors as HTTP statuses. In
 * token mode a post acts as the token's {@code sub}: a {@code from} that differs is refused with
 * 403, and a room outside the token's {@code rooms} claim too.
 */
final class MessagesRoute {
  private final MessageMethods messages;
  private final int maxBody;

  MessagesRoute(MessageMethods messages, int maxBody) {
    this.messages = messages;
    this.maxBody = maxBody;
  }

  /** A page of the room's history; {@code identity} is the Bearer token's holder in token mode, {@code null} in open mode. */
  void get(String room, Request request, Response response, Callback callback, Identity identity) {
    Fields query = Request.extractQueryParameters(request);
    CompletableFuture<?> result;
    try {
      HistoryParams params = new HistoryParams(room, integer(query, "before"), integer(query, "after"),
          limit(query));
      result = messages.history(context(identity, null), params);
    } catch (RpcException e) {
      result = CompletableFuture.failedFuture(e);
    }
    reply(result, 200, response, callback);
  }

  /**
   * Publishes once the body has arrived; {@code identity} is the Bearer token's holder in token
   * mode, {@code null} in open mode.
   */
  void post(String room, Request request, Response response, Callback callback, Identity identity) {
    BodyReader.read(request, response, callback, maxBody, bytes -> {
      CompletableFuture<?> result;
      try {
        PostMessageBody body = PostMessageBody.from(JsonText.parse(BodyReader.utf8(bytes), 64));
        SendParams params = new SendParams(room, body.text(), body.clientId());
        result = messages.send(context(identity, body.from()), params);
      } catch (JsonText.Invalid | CharacterCodingException e) {
        HttpReplies.error(response, callback, 400,
            "expected a JSON object {\"text\", \"from\"?, \"clientId\"?}: " + e.getMessage());
        return;
      } catch (RpcException e) {
        result = CompletableFuture.failedFuture(e);
      }
      reply(result, 201, response, callback);
    });
  }

  private static CallContext context(Identity identity, String from) {
    if (identity == null) {
      return CallContext.http(from == null ? RpcRoute.HTTP_USER : Names.user("from", from));
    }
    if (from != null && !from.equals(identity.user())) {
      throw new RpcException(ErrorCodes.FORBIDDEN,
          "Forbidden: from must be the token's sub \"" + identity.user() + "\" (or be left out)");
    }
    return CallContext.http(identity.user(), identity.rooms());
  }

  private static void reply(CompletableFuture<?> result, int status, Response response, Callback callback) {
    result.whenComplete((value, failure) -> {
      if (failure == null) {
        HttpReplies.json(response, callback, status, JsonText.write(JsonText.toTree(value)));
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof RpcException e) {
        HttpReplies.error(response, callback, HttpReplies.statusOf(e), e.error().message());
      } else {
        HttpReplies.error(response, callback, 500, "internal error");
      }
    });
  }

  private static Long integer(Fields query, String name) {
    String raw = query.getValue(name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new RpcException(ErrorCodes.INVALID_PARAMS, name + ": expected an integer, got \"" + raw + "\"");
    }
  }

  private static Integer limit(Fields query) {
    Long value = integer(query, "limit");
    return value == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }
}
