package io.parley.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The {@code error} member of a JSON-RPC response; the same record on both sides of the wire.
 *
 * @param code one of {@link ErrorCodes} (or any other integer a foreign server sends)
 * @param message a short sentence: what was expected and what came
 * @param data optional structured detail, {@code null} when absent
 */
public record RpcError(int code, String message, JsonElement data) {

  public RpcError {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
  }

  public static RpcError of(int code, String message) {
    return new RpcError(code, message, null);
  }

  /** A {@code -32602} naming the offending field in {@code data.field}. */
  public static RpcError invalidParams(String field, String message) {
    JsonObject data = new JsonObject();
    data.addProperty("field", field);
    return new RpcError(ErrorCodes.INVALID_PARAMS, message, data);
  }

  /** The exception form of this error, for code paths that unwind. */
  public RpcException toException() {
    return new RpcException(this);
  }
}
