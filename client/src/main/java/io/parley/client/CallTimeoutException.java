package io.parley.client;

import java.time.Duration;

/**
 * A call (or the connect) got no answer within its timeout. The call may or may not have run on
 * the server: a {@code chat.send} can be retried with the same {@code clientId} to find out
 * without storing the message twice.
 */
public final class CallTimeoutException extends ParleyException {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final transient Duration timeout;

  public CallTimeoutException(String method, Duration timeout) {
    super(method + " got no answer within " + timeout.toMillis() + " ms", null, false);
    this.method = method;
    this.timeout = timeout;
  }

  /** The method that timed out ({@code connect} for the connection itself). */
  public String method() {
    return method;
  }

  public Duration timeout() {
    return timeout;
  }
}
