package io.parley.protocol;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.Json;
import java.util.function.Function;

/**
 * A typed server-to-client notification of the contract.
 *
 * @param <P> the params record
 */
public record RpcNotification<P>(String name, Function<JsonElement, P> paramsReader) {

  public P readParams(JsonElement params) {
    return paramsReader.apply(params);
  }

  public Notification toMessage(P params) {
    return new Notification(name, Json.toTree(params));
  }
}
