package io.parley.server.ws;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the sessions of each user on this node that count for {@link UserPresence}, and tells it
 * of each user's first and last one. Not thread-safe: the {@link SessionRegistry} calls it only
 * under its own lock, which is what keeps a user's calls in order.
 */
final class UserCounts {
  private final Map<String, Integer> counts = new HashMap<>();
  /** The user each counted session is counted under. */
  private final Map<ClientSession, String> countedUnder = new HashMap<>();
  private UserPresence presence = UserPresence.NONE;

  void tell(UserPresence to) {
    this.presence = to;
  }

  /** The session was filed under {@code user}; counts it if it counts. */
  void filed(ClientSession session, String user) {
    if (!session.isAuthenticated() || SessionFactory.isGuestName(user)) {
      return;
    }
    countedUnder.put(session, user);
    if (counts.merge(user, 1, Integer::sum) == 1) {
      presence.online(user);
    }
  }

  /** The session was taken out of the index (closed, or about to be filed anew). */
  void unfiled(ClientSession session) {
    String user = countedUnder.remove(session);
    if (user != null && counts.merge(user, -1, Integer::sum) == 0) {
      counts.remove(user);
      presence.offline(user);
    }
  }
}
