package io.parley.client;

/**
 * The connection closed (or could not be opened) before a call was answered. The call may or may
 * not have run on the server. Calls the SDK knows to be safe to repeat ({@code chat.send} with its
 * {@code clientId}, {@code echo}, {@code chat.history}, {@code room.members}, {@code rpc.discover},
 * {@code session.hello}) are not failed this way while the client reconnects: they are sent again.
 * This failure is for the others, and for every call once the client is closed or has failed.
 */
public final class ConnectionClosedException extends ParleyException {
  private static final long serialVersionUID = 1L;

  /** The code when no close frame arrived (the connection dropped) or none applies. */
  public static final int NO_CODE = 1006;

  private final int code;

  public ConnectionClosedException(int code, String message) {
    this(code, message, null);
  }

  public ConnectionClosedException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The WebSocket close code: 1001 shutdown, 1013 too slow, 1006 dropped, and so on. */
  public int code() {
    return code;
  }
}
