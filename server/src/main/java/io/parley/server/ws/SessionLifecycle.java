package io.parley.server.ws;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's record of WebSocket sessions: one INFO line when a session opens and one when it
 * closes (id, user, client address, node, close code and reason, duration, messages in and out),
 * each with the session and user in the MDC. The upgrade's URL is never logged: a careless
 * client may have put a token in its query. Thread-safe; stateless apart from the node's name.
 */
public final class SessionLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);
  /** Longest close reason logged: WebSocket allows 123 bytes, and the peer chooses it. */
  private static final int MAX_REASON = 123;

  private final String nodeId;

  public SessionLifecycle(String nodeId) {
    this.nodeId = nodeId;
  }

  /** A session was accepted from {@code address} and registered. */
  public void opened(ClientSession session, String address) {
    SessionMdc mdc = SessionMdc.enter(session);
    try {
      LOG.info("session {} opened: user={} address={} node={}", session.id(), session.user(), address, nodeId);
    } finally {
      mdc.close();
    }
  }

  /** A session ended; {@link ClientSession#closeCode()} says how. */
  public void closed(ClientSession session, String address) {
    long millis = Duration.ofNanos(System.nanoTime() - session.openedNanos()).toMillis();
    SessionMdc mdc = SessionMdc.enter(session);
    try {
      LOG.info("session {} closed: code={} reason=\"{}\" user={} address={} node={} duration={}ms in={} out={}",
          session.id(), session.closeCode(), reason(session.closeReason()), session.user(), address, nodeId,
          millis, session.messagesIn(), session.messagesOut());
    } finally {
      mdc.close();
    }
  }

  private static String reason(String reason) {
    if (reason == null) {
      return "";
    }
    String printable = reason.replaceAll("[\\p{Cntrl}\"]", "?");
    return printable.length() > MAX_REASON ? printable.substring(0, MAX_REASON) : printable;
  }
}
