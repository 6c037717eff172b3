package io.parley.server.ws;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every open session on this node, for broadcast and for shutdown, and by user, for direct
 * messages (contract 1.1); it also hands each session the node's count of notifications sent
 * ({@link #notificationsSent()}). Thread-safe: the index by user changes under this registry's
 * lock (a session's user changes at most at its hello, so that is rare); readers take no lock.
 */
public final class SessionRegistry {
  private final ConcurrentMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
  /** Open sessions by their current user; a session is in its user's set while it is in {@link #sessions}. */
  private final ConcurrentMap<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
  /** The user each indexed session is filed under (its user of the moment it was filed). */
  private final Map<ClientSession, String> filedUnder = new HashMap<>();
  private final LongAdder notificationsSent = new LongAdder();
  /** First and last counted session of each user, for the presence webhooks; under this registry's lock. */
  private final UserCounts userCounts = new UserCounts();

  /** Who hears of each user's first and last session here; set once while wiring, before any session. */
  public synchronized void watchUsers(UserPresence presence) {
    userCounts.tell(presence);
  }

  public void add(ClientSession session) {
    session.outbound().countNotificationsIn(notificationsSent);
    sessions.put(session.id(), session);
    session.onRename(this::refile);
    refile(session);
  }

  /** Files the session under its current user, if it is still open here. */
  private synchronized void refile(ClientSession session) {
    unfile(session);
    if (sessions.get(session.id()) == session) {
      String user = session.user();
      filedUnder.put(session, user);
      byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(session);
      userCounts.filed(session, user);
    }
  }

  private synchronized void unfile(ClientSession session) {
    userCounts.unfiled(session);
    String user = filedUnder.remove(session);
    if (user != null) {
      byUser.computeIfPresent(user, (u, set) -> {
        set.remove(session);
        return set.isEmpty() ? null : set;
      });
    }
  }

  /** Notifications handed to the sockets of this node's sessions since it started (a counter). */
  public long notificationsSent() {
    return notificationsSent.sum();
  }

  public void remove(ClientSession session) {
    sessions.remove(session.id(), session);
    unfile(session);
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

  /** Calls {@code action} with every authenticated session of one of {@code users}, for direct messages. */
  public void forEachOf(Set<String> users, Consumer<ClientSession> action) {
    for (String user : users) {
      Set<ClientSession> theirs = byUser.get(user);
      if (theirs == null) {
        continue;
      }
      for (ClientSession session : theirs) {
        // The user is checked again: a session renamed a moment ago may still sit in the old set.
        if (session.isAuthenticated() && user.equals(session.user())) {
          action.accept(session);
        }
      }
    }
  }

  /** Whether an authenticated session of {@code user} is open on this node. */
  public boolean hasSessionOf(String user) {
    Set<ClientSession> theirs = byUser.get(user);
    if (theirs != null) {
      for (ClientSession session : theirs) {
        if (session.isAuthenticated() && user.equals(session.user())) {
          return true;
        }
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
