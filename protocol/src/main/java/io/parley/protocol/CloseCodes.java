package io.parley.protocol;

/** WebSocket close codes with the meaning the Parley contract gives them. */
public final class CloseCodes {
  /** Normal closure. */
  public static final int NORMAL = 1000;
  /** The server is shutting down: reconnect and recover with {@code since}. */
  public static final int GOING_AWAY = 1001;
  /** A frame whose data is not what it claims (invalid UTF-8), as WebSocket itself uses it. */
  public static final int BAD_DATA = 1007;
  /** Policy violation (for example no authentication in time). */
  public static final int POLICY_VIOLATION = 1008;
  /** A frame over the size limit. */
  public static final int TOO_BIG = 1009;
  /** Unexpected server error. */
  public static final int SERVER_ERROR = 1011;
  /** Overloaded or too slow to keep up: reconnect and recover with {@code since}. */
  public static final int TRY_AGAIN_LATER = 1013;

  private CloseCodes() {}
}
