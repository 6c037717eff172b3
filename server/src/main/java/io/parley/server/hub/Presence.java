package io.parley.server.hub;

import java.util.List;

/** Who is in a room on the other nodes, and what passes between them that is not stored; on one node, nobody. */
public interface Presence {
  Presence NONE = new Presence() {
    @Override
    public void local(String room, String user, boolean joined) {}

    @Override
    public List<String> remoteUsers(String room) {
      return List.of();
    }

    @Override
    public int remoteSessions(String room) {
      return 0;
    }

    @Override
    public void relay(String room, String notification) {}
  };

  /** A session of {@code user} on this node joined ({@code true}) or left a room: tell the others. */
  void local(String room, String user, boolean joined);

  /** Users in the room on other nodes. */
  List<String> remoteUsers(String room);

  /** Sessions in the room on other nodes. */
  int remoteSessions(String room);

  /**
   * Hands a passing notification (typing) to the room's members on the other nodes. Nothing
   * stores or orders it: a node that misses one has missed nothing that lasts.
   */
  void relay(String room, String notification);
}
