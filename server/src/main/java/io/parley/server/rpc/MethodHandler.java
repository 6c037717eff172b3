package io.parley.server.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * Serves one method with typed params. Throwing an {@link io.parley.protocol.RpcException} (at once
 * or through the future) answers with that error; anything else is an internal error.
 *
 * @param <P> the params record
 * @param <R> the result record
 */
@FunctionalInterface
public interface MethodHandler<P, R> {
  CompletableFuture<R> handle(CallContext context, P params);
}
