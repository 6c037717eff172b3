package io.parley.client;

/**
 * The server answered a call with a JSON-RPC error, or with a result that does not follow the
 * contract (then {@code -32602}, naming the field). {@link #code()} is one of the contract's error
 * codes, e.g. {@code -32001} unauthorized, {@code -32003} forbidden, {@code -32602} invalid
 * params (see {@code io.parley.protocol.ErrorCodes}); {@link #data()} the error's optional
 * {@code data}, as JSON text.
 */
public final class RpcErrorException extends ParleyException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String errorMessage;
  private final String data;

  /**
   * @param code the JSON-RPC error code
   * @param errorMessage the error's {@code message}
   * @param data the error's {@code data} as JSON text, or {@code null} when it had none
   */
  public RpcErrorException(int code, String errorMessage, String data) {
    super(code + " " + errorMessage, null, false);
    this.code = code;
    this.errorMessage = errorMessage;
    this.data = data;
  }

  /** The JSON-RPC error code. */
  public int code() {
    return code;
  }

  /** The error's {@code message} as the server wrote it. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The error's {@code data} as compact JSON text, e.g. {@code {"field":"limit"}}, or {@code null}. */
  public String data() {
    return data;
  }
}
