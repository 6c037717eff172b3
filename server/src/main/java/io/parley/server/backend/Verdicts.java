package io.parley.server.backend;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;

/**
 * How a proxy's answer that is not an admission or an allowance reaches the caller: {@code 403
 * {"reason"}} is {@code -32006} with {@code error.data.reason}, any other status {@code -32005}.
 * Any 403 refuses: one whose body is not JSON or names no reason gets {@link #NO_REASON}.
 * Stateless.
 */
final class Verdicts {
  /** The reason given when a 403 names none. */
  static final String NO_REASON = "refused by the application";
  /** The longest reason passed on, in characters; a longer one is cut. */
  static final int MAX_REASON = 1_000;

  private Verdicts() {}

  /** The error for an answer other than 200: {@code -32006} for 403, else {@code -32005}. */
  static RpcException refusal(String what, BackendClient.Answer answer) {
    if (answer.status() != 403) {
      return BackendClient.unavailable(what + " answered HTTP " + answer.status());
    }
    String reason = reason(answer.body().get("reason"));
    JsonObject data = new JsonObject();
    data.addProperty("reason", reason);
    return new RpcException(new RpcError(ErrorCodes.REJECTED, "Rejected: " + reason, data));
  }

  private static String reason(JsonElement value) {
    if (value instanceof JsonPrimitive p && p.isString() && !p.getAsString().isBlank()) {
      String reason = p.getAsString();
      return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }
    return NO_REASON;
  }
}
