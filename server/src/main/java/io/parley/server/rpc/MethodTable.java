package io.parley.server.rpc;

import com.google.gson.JsonElement;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.protocol.RpcMethod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The methods the server serves, by name. Binding params and writing results goes through the
 * shared {@link RpcMethod} descriptors, so the handlers see only records. It is also the one gate
 * of token mode: on a WebSocket session that has not authenticated yet, every method but those
 * marked {@link #openBeforeAuthentication} answers {@code -32001} (unknown names too, so nothing
 * about the API is told before authentication but what {@code rpc.discover} publishes). Filled at
 * start-up, then read-only (safe to share across threads).
 */
public final class MethodTable {

  private record Entry(boolean sessionOnly, Invoker invoker) {}

  private interface Invoker {
    CompletableFuture<JsonElement> invoke(CallContext context, JsonElement params);
  }

  private final Map<String, Entry> entries = new HashMap<>();
  private final Set<String> openBeforeAuth = new HashSet<>();

  /** Registers a method served on every transport. */
  public <P, R> MethodTable add(RpcMethod<P, R> method, MethodHandler<P, R> handler) {
    return put(method, handler, false);
  }

  /** Registers a method that needs a WebSocket session; over HTTP it answers -32600. */
  public <P, R> MethodTable addSessionOnly(RpcMethod<P, R> method, MethodHandler<P, R> handler) {
    return put(method, handler, true);
  }

  /** Marks methods a session may call before it authenticated (token mode); all others answer -32001. */
  public MethodTable openBeforeAuthentication(RpcMethod<?, ?>... methods) {
    for (RpcMethod<?, ?> method : methods) {
      openBeforeAuth.add(method.name());
    }
    return this;
  }

  private <P, R> MethodTable put(RpcMethod<P, R> method, MethodHandler<P, R> handler, boolean sessionOnly) {
    Invoker invoker =
        (context, params) -> handler.handle(context, method.readParams(params)).thenApply(method::writeResult);
    if (entries.putIfAbsent(method.name(), new Entry(sessionOnly, invoker)) != null) {
      throw new IllegalArgumentException("method registered twice: " + method.name());
    }
    return this;
  }

  /** Runs the method; fails (possibly by throwing) with an {@link RpcException} for wire errors. */
  CompletableFuture<JsonElement> invoke(String name, CallContext context, JsonElement params) {
    if (!context.caller().isAuthenticated() && !openBeforeAuth.contains(name)) {
      throw new RpcException(ErrorCodes.UNAUTHORIZED,
          "Unauthorized: authenticate with session.hello {\"token\"} before calling " + name);
    }
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new RpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + name);
    }
    if (entry.sessionOnly && !context.caller().isSession()) {
      throw new RpcException(
          ErrorCodes.INVALID_REQUEST,
          "Invalid request: " + name + " needs a WebSocket session; it is not served over HTTP");
    }
    return entry.invoker.invoke(context, params);
  }
}
