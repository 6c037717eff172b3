package io.parley.server.hub;

import java.util.List;

/** Who is in a room on the other nodes; on one node, nobody. */
public interface Presence {
  Presence NONE = new Presence() {
    @Override
    public void local(String room, String user, boolean joined) {}

    @Override
    public List<String> remoteUsers(String room) {
      return List.of();
    }
  };

  /** A session of {@code user} on this node joined ({@code true}) or left a room: tell the others. */
  void local(String room, String user, boolean joined);

  /** Users in the room on other nodes. */
  List<String> remoteUsers(String room);
}
