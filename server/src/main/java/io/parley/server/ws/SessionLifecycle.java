package io.parley.server.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's record of sessions (WebSocket and event stream): one INFO line when a session opens and one when it
 * closes (id, user, client address, node, transport; close code and reason, duration, messages in and out),
 * each with the session and user in the MDC, and the counters {@code parley.sessions.opened} and
 * {@code parley.sessions.closed{code}}. The upgrade's URL is never logged: a careless client may
 * have put a token in its query. Thread-safe.
 */
public final class SessionLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);
  /** Longest close reason logged: WebSocket allows 123 bytes, and the peer chooses it. */
  private static final int MAX_REASON = 123;

  /** The close codes of RFC 6455 counted by their number; the peer may send any other, counted as "other". */
  private static final int FIRST_CODE = 1000;
  private static final int LAST_CODE = 1015;

  private final String nodeId;
  private final MeterRegistry registry;
  private final Counter opened;
  private final ConcurrentMap<String, Counter> closed = new ConcurrentHashMap<>();

  public SessionLifecycle(String nodeId, MeterRegistry registry) {
    this.nodeId = nodeId;
    this.registry = registry;
    this.opened = Counter.builder("parley.sessions.opened").description("WebSocket sessions opened")
        .register(registry);
  }

  /** A session was accepted from {@code address} and registered. */
  public void opened(ClientSession session, String address) {
    session.address(address);
    opened.increment();
    SessionMdc mdc = SessionMdc.enter(session);
    try {
      LOG.info("session {} opened: user={} address={} node={} transport={}", session.id(), session.user(), address,
          nodeId, session.transportKind());
    } finally {
      mdc.close();
    }
  }

  /** A session ended; {@link ClientSession#closeCode()} says how. */
  public void closed(ClientSession session, String address) {
    long millis = Duration.ofNanos(System.nanoTime() - session.openedNanos()).toMillis();
    closedCounter(session.closeCode()).increment();
    SessionMdc mdc = SessionMdc.enter(session);
    try {
      LOG.info("session {} closed: code={} reason=\"{}\" user={} address={} node={} duration={}ms in={} out={}",
          session.id(), session.closeCode(), reason(session.closeReason()), session.user(), address, nodeId,
          millis, session.messagesIn(), session.messagesOut());
    } finally {
      mdc.close();
    }
  }

  private Counter closedCounter(int code) {
    String tag = code >= FIRST_CODE && code <= LAST_CODE ? Integer.toString(code) : "other";
    return closed.computeIfAbsent(tag, c -> Counter.builder("parley.sessions.closed")
        .description("WebSocket sessions closed, by close code (1006: no close frame, the connection dropped)")
        .tag("code", c).register(registry));
  }

  private static String reason(String reason) {
    if (reason == null) {
      return "";
    }
    String printable = reason.replaceAll("[\\p{Cntrl}\"]", "?");
    return printable.length() > MAX_REASON ? printable.substring(0, MAX_REASON) : printable;
  }
}
