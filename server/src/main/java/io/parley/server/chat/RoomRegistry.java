package io.parley.server.chat;

import io.parley.server.ws.ClientSession;
import io.parley.server.ws.TextFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rooms that have local members. A room exists here only while someone is in it; the store
 * keeps its history regardless. Thread-safe: adding and removing members goes through
 * {@link ConcurrentMap#compute} so a room is never dropped while a member is being added.
 */
public final class RoomRegistry {
  private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
  private volatile Broker lifecycle;
  private volatile FanOutWorkers workers;

  /**
   * Splits large rooms' delivery rounds over the machine's cores from now on; set once while
   * wiring. Answers what to close when the server stops ({@code null} on one core).
   */
  public AutoCloseable spreadFanOut() {
    FanOutWorkers spread = FanOutWorkers.forThisMachine();
    this.workers = spread;
    return spread;
  }

  /** Tells the broker when rooms become active or idle here; set once while wiring. */
  public void reportTo(Broker broker) {
    this.lifecycle = broker;
  }

  /** Adds a joining member; {@code null} if the session already is in the room. */
  Member join(String room, ClientSession session) {
    Member[] added = new Member[1];
    rooms.compute(room, (name, existing) -> {
      Room r = existing;
      if (r == null) {
        r = new Room(name);
        announce(name, true);
      }
      added[0] = r.add(session);
      return r;
    });
    return added[0];
  }

  /** Removes the member; false if it was not one. */
  boolean leave(String room, ClientSession session) {
    boolean[] removed = new boolean[1];
    rooms.computeIfPresent(room, (name, r) -> {
      removed[0] = r.remove(session);
      if (r.isEmpty()) {
        announce(name, false);
        return null;
      }
      return r;
    });
    return removed[0];
  }

  private void announce(String room, boolean active) {
    Broker broker = lifecycle;
    if (broker != null) {
      if (active) {
        broker.roomActive(room);
      } else {
        broker.roomIdle(room);
      }
    }
  }

  /** Distinct users of each active room, counted per session, for a presence snapshot. */
  public Map<String, Map<String, Integer>> snapshot() {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    rooms.forEach((name, room) -> out.put(name, room.userCounts()));
    return out;
  }

  /** Queues a notification to every live member of a room (presence from other nodes). */
  public void notifyMembers(String room, String notification) {
    notifyOthers(room, null, notification);
  }

  boolean isMember(String room, ClientSession session) {
    Room r = rooms.get(room);
    return r != null && r.contains(session);
  }

  List<String> users(String room) {
    Room r = rooms.get(room);
    return r == null ? List.of() : r.users();
  }

  /** Delivers a committed message to the local members of its room. */
  public void deliver(String room, long seq, String notification) {
    Room r = rooms.get(room);
    if (r != null) {
      r.deliver(seq, TextFrame.of(notification));
    }
  }

  /** Delivers a room's messages of one round (ascending seq, JSON already encoded). */
  void deliverAll(String room, long[] seqs, TextFrame[] frames) {
    Room r = rooms.get(room);
    if (r != null) {
      r.deliverAll(seqs, frames, workers);
    }
  }

  void notifyOthers(String room, ClientSession except, String notification) {
    Room r = rooms.get(room);
    if (r != null) {
      r.notifyOthers(except, TextFrame.of(notification));
    }
  }

  public int roomCount() {
    return rooms.size();
  }
}
