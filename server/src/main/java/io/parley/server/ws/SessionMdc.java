package io.parley.server.ws;

import org.slf4j.MDC;

/**
 * Puts a session's id and user in the logging MDC (keys {@value #SESSION} and {@value #USER}) for
 * the work done on its behalf on the current thread, and takes them out again on {@link #close()}.
 * Thread-confined, like the MDC itself; never holds a token.
 */
public final class SessionMdc implements AutoCloseable {
  public static final String SESSION = "session";
  public static final String USER = "user";
  private static final SessionMdc NONE = new SessionMdc();

  private SessionMdc() {}

  /** Enters the session's context; {@code null} (a frame before the session exists) changes nothing. */
  public static SessionMdc enter(ClientSession session) {
    if (session == null) {
      return NONE;
    }
    MDC.put(SESSION, session.id());
    MDC.put(USER, session.user());
    return new SessionMdc();
  }

  @Override
  public void close() {
    if (this != NONE) {
      MDC.remove(SESSION);
      MDC.remove(USER);
    }
  }
}
