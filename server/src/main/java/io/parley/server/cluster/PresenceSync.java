package io.parley.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.JsonText;
import com.google.gson.JsonParser;
import io.parley.protocol.types.PresenceEvent;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Room presence across nodes. A node announces each local join and leave, and every
 * {@link #HEARTBEAT} its whole state; others keep that in {@link ClusterPresence}, tell their local
 * members ({@code room.joined} / {@code room.left}) and drop a node that has been silent for
 * {@link #EXPIRY}, or that said goodbye. A node that starts says hello, and the others answer with
 * their state at once instead of at the next heartbeat. Passing room notifications (typing) travel
 * the same way ({@link #relay}): to every node, which hands them to its members of the room.
 *
 * <p>Threads: events arrive on the NATS dispatcher thread, timers run on {@code parley-cluster},
 * local announcements on whatever thread joined or left; state lives in {@link ClusterPresence}.
 */
final class PresenceSync implements Presence {
  static final Duration HEARTBEAT = Duration.ofSeconds(3);
  static final Duration EXPIRY = Duration.ofSeconds(10);
  private static final Type ROOMS = new TypeToken<Map<String, Map<String, Integer>>>() {}.getType();

  private final String nodeId;
  private final Connection nats;
  private final Hub rooms;
  private final ScheduledExecutorService timer;
  private final ClusterPresence remote = new ClusterPresence();

  PresenceSync(String nodeId, Connection nats, Hub rooms, ScheduledExecutorService timer,
      MeterRegistry registry) {
    this.nodeId = nodeId;
    this.nats = nats;
    this.rooms = rooms;
    this.timer = timer;
    Gauge.builder("parley.cluster.nodes", remote, ClusterPresence::nodeCount)
        .description("other nodes this node hears from").register(registry);
  }

  void start() {
    hello();
    timer.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  void hello() {
    send(event("hello"));
  }

  void goodbye() {
    send(event("bye"));
  }

  @Override
  public void local(String room, String user, boolean joined) {
    JsonObject e = event(joined ? "join" : "leave");
    e.addProperty("room", room);
    e.addProperty("user", user);
    send(e);
  }

  @Override
  public List<String> remoteUsers(String room) {
    return remote.users(room);
  }

  @Override
  public int remoteSessions(String room) {
    return remote.sessions(room);
  }

  @Override
  public void relay(String room, String notification) {
    JsonObject e = event("relay");
    e.addProperty("room", room);
    e.addProperty("notification", notification);
    send(e);
  }

  void onEvent(String payload) {
    JsonObject e = JsonParser.parseString(payload).getAsJsonObject();
    String node = e.get("node").getAsString();
    if (nodeId.equals(node)) {
      return;
    }
    long now = System.currentTimeMillis();
    switch (e.get("type").getAsString()) {
      case "join" -> {
        remote.joined(node, e.get("room").getAsString(), e.get("user").getAsString(), now);
        tellMembers(Notifications.ROOM_JOINED, e.get("room").getAsString(), e.get("user").getAsString());
      }
      case "leave" -> {
        remote.left(node, e.get("room").getAsString(), e.get("user").getAsString(), now);
        tellMembers(Notifications.ROOM_LEFT, e.get("room").getAsString(), e.get("user").getAsString());
      }
      case "state" -> remote.replace(node, JsonText.fromTree(e.get("rooms"), ROOMS), now);
      case "relay" -> rooms.notifyMembers(e.get("room").getAsString(), null, e.get("notification").getAsString());
      case "hello" -> heartbeat();
      case "bye" -> forget(node);
      default -> { }
    }
  }

  private void heartbeat() {
    JsonObject e = event("state");
    JsonElement state = JsonText.toTree(rooms.snapshot(), ROOMS);
    e.add("rooms", state);
    send(e);
    remote.silentSince(System.currentTimeMillis() - EXPIRY.toMillis()).forEach(this::forget);
  }

  private void forget(String node) {
    for (ClusterPresence.Departure d : remote.remove(node)) {
      tellMembers(Notifications.ROOM_LEFT, d.room(), d.user());
    }
  }

  private void tellMembers(io.parley.protocol.RpcNotification<PresenceEvent> kind, String room, String user) {
    rooms.notifyMembers(room, null, RpcCodec.encode(kind.toMessage(new PresenceEvent(room, user))));
  }

  private JsonObject event(String type) {
    JsonObject e = new JsonObject();
    e.addProperty("type", type);
    e.addProperty("node", nodeId);
    return e;
  }

  private void send(JsonObject event) {
    nats.publish(Subjects.PRESENCE, JsonText.write(event).getBytes(StandardCharsets.UTF_8));
  }
}
