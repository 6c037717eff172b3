package io.parley.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;

/**
 * The answer to a {@link Request}: exactly one of {@code result} and {@code error} is set.
 *
 * @param id the request's id token, or JSON null when it could not be read
 * @param result the result (may be JSON null) when successful, {@code null} on error
 * @param error the error, {@code null} on success
 */
public record Response(JsonElement id, JsonElement result, RpcError error) implements RpcMessage {

  public Response {
    if (id == null) {
      id = JsonNull.INSTANCE;
    }
    if ((result == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of result and error must be set");
    }
  }

  public static Response success(JsonElement id, JsonElement result) {
    return new Response(id, result == null ? JsonNull.INSTANCE : result, null);
  }

  public static Response failure(JsonElement id, RpcError error) {
    return new Response(id, null, error);
  }

  public boolean isError() {
    return error != null;
  }
}
