package io.parley.protocol;

/** One member of a decoded frame: a well-formed message, or the error response it earned. */
public sealed interface Entry {

  /** A well-formed request, notification or response. */
  record Valid(RpcMessage message) implements Entry {}

  /** Not a valid message; {@code error} is the {@code -32600} to send back. */
  record Invalid(Response error) implements Entry {}
}
