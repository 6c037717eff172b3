package io.parley.client;

/**
 * Every failure the SDK reports on a future, a stream or a listener: an error reply ({@link
 * RpcErrorException}), no answer in time ({@link CallTimeoutException}), the connection closing
 * first ({@link ConnectionClosedException}) or a subscriber falling behind ({@link
 * StreamOverflowException}). Catch this one type to handle them all; illegal arguments are not
 * among them (they throw {@link IllegalArgumentException} at once), nor is cancellation.
 */
public abstract class ParleyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** For the SDK's own failures; {@code cause} may be {@code null}. */
  protected ParleyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Without a stack trace: for failures whose place in the SDK tells the user nothing. */
  protected ParleyException(String message, Throwable cause, boolean writableStackTrace) {
    super(message, cause, false, writableStackTrace);
  }
}
