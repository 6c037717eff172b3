package io.parley.protocol;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.Json;
import java.util.function.Function;

/**
 * A typed method of the contract, shared by server and client so neither spells a method name or
 * binds a shape by hand. Encoding uses the record's components (null ones omitted); decoding
 * checks every field and fails with a {@code -32602} {@link RpcException} naming it.
 *
 * @param <P> the params record
 * @param <R> the result record
 */
public record RpcMethod<P, R>(
    String name, Function<JsonElement, P> paramsReader, Function<JsonElement, R> resultReader) {

  public P readParams(JsonElement params) {
    return paramsReader.apply(params);
  }

  public R readResult(JsonElement result) {
    return resultReader.apply(result);
  }

  public JsonElement writeParams(P params) {
    return params instanceof JsonElement tree ? tree : Json.toTree(params);
  }

  public JsonElement writeResult(R result) {
    return result instanceof JsonElement tree ? tree : Json.toTree(result);
  }
}
