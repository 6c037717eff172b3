package io.parley.server.admin;

import io.parley.protocol.CloseCodes;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's disconnects. A session of this node is closed here with {@link #CODE} 1008 and
 * {@link #REASON}: 1008 because the SDKs reconnect by themselves after 1001 and 1013 but not after
 * it (PROTOCOL.md), and someone an operator disconnects is not wanted back a second later. A
 * session that another node's latest table lists is asked of that node over the
 * {@link OperationsChannel}. Each disconnect is logged, with who asked. Thread-safe.
 */
final class Disconnects {
  static final int CODE = CloseCodes.POLICY_VIOLATION;
  static final String REASON = "disconnected by operator";
  private static final Logger LOG = LoggerFactory.getLogger(Disconnects.class);

  /** Where the session was: closed here, asked of another node, or unknown ({@code node == null}). */
  record Outcome(String node, boolean here) {
    static final Outcome UNKNOWN = new Outcome(null, false);
  }

  private final SessionRegistry sessions;
  private final ClusterFigures figures;
  private final OperationsChannel channel;

  Disconnects(SessionRegistry sessions, ClusterFigures figures, OperationsChannel channel) {
    this.sessions = sessions;
    this.figures = figures;
    this.channel = channel;
  }

  /** An operator on this node's page asks; {@code by} is their address, for the log. */
  Outcome disconnect(String id, String by) {
    if (closeHere(id, "an operator at " + by)) {
      return new Outcome(figures.self(), true);
    }
    String node = figures.nodeOfSession(id);
    if (node == null) {
      return Outcome.UNKNOWN;
    }
    LOG.info("asking node {} to disconnect its session {} for an operator at {}", node, id, by);
    channel.askToDisconnect(node, id);
    return new Outcome(node, false);
  }

  /** Another node's operator asked for one of ours (channel thread). */
  void askedByAnotherNode(String id) {
    if (!closeHere(id, "an operator on another node's page")) {
      LOG.info("another node's operator asked to disconnect session {}, which is not open here", id);
    }
  }

  private boolean closeHere(String id, String by) {
    ClientSession session = sessions.get(id);
    if (session == null) {
      return false;
    }
    LOG.info("session {} (user={} address={}) disconnected by {}", id, session.user(), session.address(), by);
    session.close(CODE, REASON);
    return true;
  }
}
