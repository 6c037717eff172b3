package io.parley.server.http;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcError;
import io.parley.server.rpc.CallContext;
import io.parley.server.rpc.RpcDispatcher;
import java.nio.charset.CharacterCodingException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /rpc}: JSON-RPC over HTTP through the same dispatcher as the WebSocket. A JSON-RPC
 * error is still a 200 (the error is in the body, as JSON-RPC over HTTP does it); a body of only
 * notifications answers 204.
 */
final class RpcRoute {
  /** The user that HTTP calls act as: there is no session to say otherwise. */
  static final String HTTP_USER = "http";

  private final RpcDispatcher dispatcher;
  private final int maxBody;

  RpcRoute(RpcDispatcher dispatcher, int maxBody) {
    this.dispatcher = dispatcher;
    this.maxBody = maxBody;
  }

  /** Answers the body's calls once it has arrived, acting as {@code context}'s user. */
  void handle(Request request, org.eclipse.jetty.server.Response response, Callback callback, CallContext context) {
    BodyReader.read(request, response, callback, maxBody, bytes -> {
      String body;
      try {
        body = BodyReader.utf8(bytes);
      } catch (CharacterCodingException e) {
        String reply = RpcCodec.encode(Response.failure(null,
            RpcError.of(ErrorCodes.PARSE_ERROR, "Parse error: the body is not valid UTF-8")));
        HttpReplies.json(response, callback, 200, reply);
        return;
      }
      dispatch(body, response, callback, context);
    });
  }

  private void dispatch(String body, org.eclipse.jetty.server.Response response, Callback callback,
      CallContext context) {
    dispatcher.dispatch(body, context).whenComplete((reply, failure) -> {
      context.replied();
      if (failure != null) {
        HttpReplies.error(response, callback, 500, "internal error");
      } else if (reply == null) {
        HttpReplies.noContent(response, callback);
      } else {
        HttpReplies.json(response, callback, 200, reply);
      }
    });
  }
}
