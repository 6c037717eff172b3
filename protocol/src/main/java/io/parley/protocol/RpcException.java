package io.parley.protocol;

/**
 * Carries a wire {@link RpcError}: thrown by handlers on the server, and the failure of a call's
 * future on the client. One type for both sides so an error keeps its code end to end.
 */
public class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RpcError error;

  public RpcException(RpcError error) {
    super(error.code() + " " + error.message(), null, false, false);
    this.error = error;
  }

  public RpcException(int code, String message) {
    this(RpcError.of(code, message));
  }

  public RpcError error() {
    return error;
  }

  public int code() {
    return error.code();
  }
}
