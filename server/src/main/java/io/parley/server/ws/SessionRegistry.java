package io.parley.server.ws;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Every open session on this node, for broadcast and for shutdown. Thread-safe. */
public final class SessionRegistry {
  private final ConcurrentMap<String, ClientSession> sessions = new ConcurrentHashMap<>();

  public void add(ClientSession session) {
    sessions.put(session.id(), session);
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

  public Collection<ClientSession> all() {
    return sessions.values();
  }

  public int size() {
    return sessions.size();
  }
}
