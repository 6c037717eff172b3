package io.parley.client.internal;

import io.parley.client.RpcErrorException;
import io.parley.protocol.JsonText;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import java.util.concurrent.CompletionException;

/**
 * The one place where the protocol's error type becomes the SDK's: users see {@link
 * RpcErrorException} (in the public package, no Gson in it), while the internals and the server
 * keep the protocol's {@link RpcException}.
 */
final class Failures {
  private Failures() {}

  /** An error reply as the SDK reports it. */
  static RpcErrorException reply(RpcError error) {
    return new RpcErrorException(error.code(), error.message(),
        error.data() == null ? null : JsonText.write(error.data()));
  }

  /** {@code failure} as a user should see it: the protocol's RpcException (maybe wrapped) becomes the SDK's. */
  static Throwable toPublic(Throwable failure) {
    Throwable bare = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return bare instanceof RpcException rpc ? reply(rpc.error()) : failure;
  }
}
