package io.parley.server.ws;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every open session on this node, for broadcast and for shutdown; it also hands each session the
 * node's count of notifications sent ({@link #notificationsSent()}). Thread-safe.
 */
public final class SessionRegistry {
  private final ConcurrentMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
  private final LongAdder notificationsSent = new LongAdder();

  public void add(ClientSession session) {
    session.outbound().countNotificationsIn(notificationsSent);
    sessions.put(session.id(), session);
  }

  /** Notifications handed to the sockets of this node's sessions since it started (a counter). */
  public long notificationsSent() {
    return notificationsSent.sum();
  }

  public void remove(ClientSession session) {
    sessions.remove(session.id(), session);
  }

  /** Queues the same text to every authenticated session; returns how many it was queued to. */
  public int notifyAll(String text) {
    TextFrame frame = TextFrame.of(text);
    int count = 0;
    for (ClientSession session : sessions.values()) {
      if (!session.isAuthenticated()) {
        continue;
      }
      session.notify(frame);
      count++;
    }
    return count;
  }

  /**
   * Calls {@code action} with every authenticated session of one of {@code users}, for direct
   * messages. A walk over all sessions, once per delivery round that carries direct messages.
   */
  public void forEachOf(Set<String> users, Consumer<ClientSession> action) {
    for (ClientSession session : sessions.values()) {
      if (session.isAuthenticated() && users.contains(session.user())) {
        action.accept(session);
      }
    }
  }

  /** Whether an authenticated session of {@code user} is open on this node. */
  public boolean hasSessionOf(String user) {
    for (ClientSession session : sessions.values()) {
      if (session.isAuthenticated() && user.equals(session.user())) {
        return true;
      }
    }
    return false;
  }

  /** The open session with this id, or {@code null}. */
  public ClientSession get(String id) {
    return sessions.get(id);
  }

  public Collection<ClientSession> all() {
    return sessions.values();
  }

  public int size() {
    return sessions.size();
  }
}
