package io.parley.server.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who is in which room on the other nodes, as those nodes report it: per node, per room, per
 * user a count of sessions. Each node's heartbeat replaces what is known of it, so a lost event
 * heals at the next heartbeat; a node silent for longer than the expiry is dropped whole, which
 * is how the members of a dead node disappear.
 *
 * <p>Thread-safe through its own monitor; callers get copies.
 */
final class ClusterPresence {
  /** One user that left a room because its node went away. */
  record Departure(String room, String user) {}

  private final Map<String, NodeState> nodes = new HashMap<>();

  private static final class NodeState {
    Map<String, Map<String, Integer>> rooms = new HashMap<>();
    long seenAtMs;
  }

  synchronized void joined(String node, String room, String user, long nowMs) {
    NodeState state = node(node, nowMs);
    state.rooms.computeIfAbsent(room, r -> new HashMap<>()).merge(user, 1, Integer::sum);
  }

  synchronized void left(String node, String room, String user, long nowMs) {
    NodeState state = node(node, nowMs);
    Map<String, Integer> users = state.rooms.get(room);
    if (users != null) {
      users.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
      if (users.isEmpty()) {
        state.rooms.remove(room);
      }
    }
  }

  /** A heartbeat: the node's whole state. */
  synchronized void replace(String node, Map<String, Map<String, Integer>> rooms, long nowMs) {
    NodeState state = node(node, nowMs);
    state.rooms = new HashMap<>();
    rooms.forEach((room, users) -> state.rooms.put(room, new HashMap<>(users)));
  }

  /** Forgets a node (it said goodbye or went silent); returns who thereby left which room. */
  synchronized List<Departure> remove(String node) {
    NodeState state = nodes.remove(node);
    if (state == null) {
      return List.of();
    }
    return state.rooms.entrySet().stream()
        .flatMap(e -> e.getValue().keySet().stream().map(user -> new Departure(e.getKey(), user)))
        .toList();
  }

  /** Nodes not heard from since {@code cutoffMs}. */
  synchronized List<String> silentSince(long cutoffMs) {
    return nodes.entrySet().stream().filter(e -> e.getValue().seenAtMs < cutoffMs).map(Map.Entry::getKey).toList();
  }

  synchronized List<String> users(String room) {
    TreeSet<String> users = new TreeSet<>();
    for (NodeState state : nodes.values()) {
      Map<String, Integer> inRoom = state.rooms.get(room);
      if (inRoom != null) {
        users.addAll(inRoom.keySet());
      }
    }
    return List.copyOf(users);
  }

  /** Sessions in the room on the other nodes, as their last word said. */
  synchronized int sessions(String room) {
    int sessions = 0;
    for (NodeState state : nodes.values()) {
      Map<String, Integer> inRoom = state.rooms.get(room);
      if (inRoom != null) {
        for (int n : inRoom.values()) {
          sessions += n;
        }
      }
    }
    return sessions;
  }

  synchronized int nodeCount() {
    return nodes.size();
  }

  private NodeState node(String node, long nowMs) {
    NodeState state = nodes.computeIfAbsent(node, n -> new NodeState());
    state.seenAtMs = nowMs;
    return state;
  }
}
