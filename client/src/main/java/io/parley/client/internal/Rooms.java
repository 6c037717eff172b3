package io.parley.client.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rooms this client has joined (or is joining), by name: where notifications are routed and
 * what a reconnect rejoins. Core thread only.
 */
final class Rooms {
  private final Map<String, RoomState> byName = new LinkedHashMap<>();

  RoomState get(String name) {
    return byName.get(name);
  }

  void add(RoomState room) {
    byName.put(room.name(), room);
  }

  /** Removes {@code room} if it is still the one registered under its name. */
  boolean remove(RoomState room) {
    return byName.remove(room.name(), room);
  }

  RoomState remove(String name) {
    return byName.remove(name);
  }

  /** The rooms whose first join was answered: a reconnect rejoins these with {@code since}. */
  List<RoomState> joined() {
    List<RoomState> joined = new ArrayList<>();
    for (RoomState room : byName.values()) {
      if (room.isJoined()) {
        joined.add(room);
      }
    }
    return joined;
  }

  /** The client closed: every stream completes. */
  void endAll() {
    byName.values().forEach(RoomState::end);
    byName.clear();
  }

  /** The client failed: every stream and pending join fails with {@code cause}. */
  void failAll(Throwable cause) {
    byName.values().forEach(room -> room.fail(cause));
    byName.clear();
  }
}
