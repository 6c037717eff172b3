package io.parley.server.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.parley.server.hub.Hub;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.SessionRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * This node's two tables, made once a second by the sampler: the busiest rooms (local members,
 * messages delivered per second) and the sessions (user, address, node, transport, rooms, queued bytes, age),
 * the most backed-up first. Each is cut at a fixed number of rows so a node with 100,000 sessions
 * still sends a small page; the totals say how many there are. Sampler thread only.
 */
final class Tables {
  static final int MAX_ROOMS = 20;
  static final int MAX_SESSIONS = 200;
  /** Room names listed per session row (a session may be in hundreds); the row also says how many. */
  static final int ROOMS_PER_SESSION = 10;

  private final String node;
  private final Hub hub;
  private final SessionRegistry sessions;
  private Map<String, Long> lastDelivered = Map.of();

  Tables(String node, Hub hub, SessionRegistry sessions) {
    this.node = node;
    this.hub = hub;
    this.sessions = sessions;
  }

  /** {@code {"rooms":[…],"roomCount":n,"sessions":[…],"sessionCount":n}} for the second just ended. */
  JsonObject build(double seconds) {
    JsonObject out = new JsonObject();
    List<Hub.RoomLoad> loads = hub.loads();
    out.add("rooms", rooms(loads, seconds));
    out.addProperty("roomCount", loads.size());
    List<ClientSession> all = new ArrayList<>(sessions.all());
    out.add("sessions", sessions(all));
    out.addProperty("sessionCount", all.size());
    return out;
  }

  private record RoomRow(String room, int members, double perSecond) {}

  private JsonArray rooms(List<Hub.RoomLoad> loads, double seconds) {
    Map<String, Long> now = new HashMap<>();
    List<RoomRow> rows = new ArrayList<>(loads.size());
    for (Hub.RoomLoad load : loads) {
      now.put(load.room(), load.messages());
      long before = lastDelivered.getOrDefault(load.room(), load.messages());
      rows.add(new RoomRow(load.room(), load.members(), Math.max(0, load.messages() - before) / seconds));
    }
    lastDelivered = now;
    JsonArray out = new JsonArray();
    Comparator<RoomRow> busiest = Comparator.comparingDouble(RoomRow::perSecond).thenComparingInt(RoomRow::members);
    for (RoomRow r : top(rows, busiest, MAX_ROOMS)) {
      JsonObject o = new JsonObject();
      o.addProperty("room", r.room());
      o.addProperty("node", node);
      o.addProperty("members", r.members());
      o.add("perSecond", Sample.number(r.perSecond()));
      out.add(o);
    }
    return out;
  }

  private JsonArray sessions(List<ClientSession> all) {
    long now = System.nanoTime();
    // The queued bytes are read once per session: they change while we sort.
    record Row(ClientSession session, long queued) {}
    List<Row> rows = new ArrayList<>(all.size());
    all.forEach(s -> rows.add(new Row(s, s.outbound().unwritten())));
    JsonArray out = new JsonArray();
    Comparator<Row> mostQueuedThenOldest = Comparator.comparingLong(Row::queued)
        .thenComparingLong(r -> now - r.session().openedNanos());
    for (Row row : top(rows, mostQueuedThenOldest, MAX_SESSIONS)) {
      ClientSession s = row.session();
      JsonObject o = new JsonObject();
      o.addProperty("id", s.id());
      o.addProperty("user", s.user());
      o.addProperty("address", s.address());
      o.addProperty("node", node);
      o.addProperty("transport", s.transportKind());
      JsonArray rooms = new JsonArray();
      s.rooms().stream().sorted().limit(ROOMS_PER_SESSION).forEach(rooms::add);
      o.add("rooms", rooms);
      o.addProperty("roomCount", s.rooms().size());
      o.addProperty("queued", row.queued());
      o.addProperty("ageSeconds", TimeUnit.NANOSECONDS.toSeconds(now - s.openedNanos()));
      out.add(o);
    }
    return out;
  }

  /**
   * The {@code k} greatest by {@code order}, greatest first, in O(n log k): a node may have
   * 100,000 sessions, and this runs every second.
   */
  static <T> List<T> top(List<T> items, Comparator<T> order, int k) {
    PriorityQueue<T> smallestFirst = new PriorityQueue<>(k + 1, order);
    for (T item : items) {
      smallestFirst.add(item);
      if (smallestFirst.size() > k) {
        smallestFirst.poll();
      }
    }
    List<T> out = new ArrayList<>(smallestFirst);
    out.sort(order.reversed());
    return out;
  }
}
