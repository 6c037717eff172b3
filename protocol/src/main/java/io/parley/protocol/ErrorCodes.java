package io.parley.protocol;

/** The JSON-RPC error codes of the Parley contract, in one place so neither side spells a number twice. */
public final class ErrorCodes {
  /** The frame or body is not JSON. */
  public static final int PARSE_ERROR = -32700;
  /** The JSON is not a valid request object (or batch). */
  public static final int INVALID_REQUEST = -32600;
  /** No such method. */
  public static final int METHOD_NOT_FOUND = -32601;
  /** Params missing or of the wrong shape; {@code error.data.field} names the field. */
  public static final int INVALID_PARAMS = -32602;
  /** An unexpected server fault; {@code error.data.incident} matches a server log line. */
  public static final int INTERNAL_ERROR = -32603;
  /** Authentication required, or the token is invalid or expired. */
  public static final int UNAUTHORIZED = -32001;
  /** Not a member of the room, or not allowed by the token. */
  public static final int FORBIDDEN = -32002;
  /** Too many calls; {@code error.data.retryAfterMs} says when to retry. */
  public static final int RATE_LIMITED = -32003;
  /** A text or frame over the configured limit. */
  public static final int TOO_LARGE = -32004;
  /** Storage or broker down; safe to retry later. */
  public static final int UNAVAILABLE = -32005;
  /**
   * Contract 1.1: the application's backend refused the call (its connect or publish proxy
   * answered 403); {@code error.data.reason} says why, in the backend's words.
   */
  public static final int REJECTED = -32006;

  private ErrorCodes() {}
}
