package io.parley.server.hub;

import io.micrometer.core.instrument.Timer;
import io.parley.protocol.Names;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.Message;
import io.parley.server.ws.RoomFeed;
import io.parley.server.ws.SessionRegistry;
import io.parley.server.ws.Subscriber;
import io.parley.server.ws.TextFrame;
import io.parley.server.ws.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rooms that have members on this node, and delivery to them: one core for one node and
 * many. Messages enter through {@link #accept}, from this node's commits or from other nodes (the
 * {@link Broker} decides), and leave in {@link DeliveryRounds rounds}: each round groups its
 * messages by room, encodes each once, and hands each member its room's messages together, a large
 * room split over the cores by {@link FanOutWorkers}.
 *
 * <p>Direct messages (contract 1.1, rooms named {@code dm.}) are not delivered by room membership:
 * they reach every session of their two users on this node, joined or not ({@link #deliverDirect}).
 *
 * <p>A room exists here only while someone is in it; the store keeps its history regardless.
 * Thread-safe: joins and leaves go through {@link ConcurrentMap#compute}, so a room is never dropped
 * while a member is being added, and the broker hears of a room's first and last member in order.
 */
public final class Hub implements AutoCloseable {
  private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final SessionRegistry sessions;
  private final DeliveryRounds rounds;
  /** Helpers of large rooms' rounds, or {@code null} (one core, or not spread). */
  private final FanOutWorkers workers;
  private volatile Broker broker;
  private volatile Occupancy occupancy = Occupancy.NONE;

  /**
   * @param lag records each accepted batch's time from {@link #accept} to the end of the round that
   *     delivered it, or {@code null}
   * @param spread whether large rooms' rounds are split over the machine's cores
   */
  public Hub(SessionRegistry sessions, Timer lag, boolean spread) {
    this.sessions = sessions;
    this.workers = spread ? FanOutWorkers.forThisMachine() : null;
    this.rounds = new DeliveryRounds(this::deliver, lag);
  }

  /** Tells {@code broker} when rooms get their first member and lose their last; set once while wiring. */
  public void subscribeThrough(Broker through) {
    this.broker = through;
  }

  /** Tells {@code watcher} when rooms get their first member here and lose their last; set once while wiring. */
  public void watchOccupancy(Occupancy watcher) {
    this.occupancy = watcher;
  }

  /**
   * Messages to deliver here, in seq order per room: from one caller at a time per room, in the
   * order the rounds must keep (the committer's commit order, a cluster room's sequencer).
   */
  public void accept(List<Message> messages) {
    if (!messages.isEmpty()) {
      rounds.submit(messages);
    }
  }

  /**
   * Changes to deliver here (contract 1.1), in rev order per room, from one caller at a time per
   * room, like {@link #accept}: after the messages accepted before them.
   */
  public void acceptChanges(List<RoomChange> changes) {
    if (!changes.isEmpty()) {
      rounds.submitChanges(changes);
    }
  }

  /** Queues a broadcast notification to every authenticated session of this node; returns how many. */
  public int broadcastHere(String notification) {
    return sessions.notifyAll(notification);
  }

  /**
   * One round: each room's messages to each of its members together, encoded once, in one write
   * batch (each member's frames of the round flushed once). Runs on {@code parley-deliver}.
   */
  private void deliver(List<Message> messages, List<RoomChange> changes) {
    try (WriteBatch batch = WriteBatch.openIf(messages.size() + changes.size() > 1)) {
      if (!messages.isEmpty()) {
        deliverRound(messages, batch);
      }
      if (!changes.isEmpty()) {
        deliverChanges(changes, batch);
      }
    }
  }

  /**
   * Each room's changes to its members, encoded once; a direct conversation's to every session here
   * of its two users, as its messages go ({@link #deliverDirect}). Changes are rare next to
   * messages, so a room's are not split over the cores.
   */
  private void deliverChanges(List<RoomChange> changes, WriteBatch batch) {
    Map<String, List<RoomChange>> byRoom = new LinkedHashMap<>();
    for (RoomChange change : changes) {
      byRoom.computeIfAbsent(change.room(), r -> new ArrayList<>()).add(change);
    }
    byRoom.forEach((name, roomChanges) -> {
      int n = roomChanges.size();
      long[] revs = new long[n];
      TextFrame[] frames = new TextFrame[n];
      for (int i = 0; i < n; i++) {
        revs[i] = roomChanges.get(i).rev();
        frames[i] = TextFrame.of(RpcCodec.encode(Notifications.CHAT_CHANGE.toMessage(roomChanges.get(i).change())));
      }
      Room room = rooms.get(name);
      if (!Names.isDirectRoom(name)) {
        if (room != null) {
          room.deliverChanges(revs, frames, batch);
        }
        return;
      }
      Set<String> users = new HashSet<>();
      for (RoomChange change : roomChanges) {
        users.add(change.change().user());
        if (change.to() != null) {
          users.add(change.to());
        }
      }
      sessions.forEachOf(users, session -> {
        if (session.mayUse(name)) {
          RoomFeed feed = room == null ? null : room.feedOf(session);
          (feed != null ? feed : session.directFeed()).changes(revs, frames, batch);
        }
      });
    });
  }

  private void deliverRound(List<Message> messages, WriteBatch batch) {
    Map<String, List<Encoded>> direct = new HashMap<>();
    byRoom(messages).forEach((name, roomMessages) -> {
      if (Names.isDirectRoom(name)) {
        Encoded encoded = encode(name, roomMessages);
        for (Message message : roomMessages) {
          addOnce(direct, message.from(), encoded);
          if (message.to() != null) {
            addOnce(direct, message.to(), encoded);
          }
        }
        return;
      }
      Room room = rooms.get(name);
      if (room != null) {
        Encoded encoded = encode(name, roomMessages);
        room.deliverAll(encoded.seqs(), encoded.frames(), workers, batch);
      }
    });
    if (!direct.isEmpty()) {
      deliverDirect(direct, batch);
    }
  }

  /** One room's messages of a round, each encoded once. */
  private record Encoded(String room, long[] seqs, TextFrame[] frames) {}

  private static Encoded encode(String room, List<Message> roomMessages) {
    int n = roomMessages.size();
    long[] seqs = new long[n];
    TextFrame[] frames = new TextFrame[n];
    for (int i = 0; i < n; i++) {
      Message message = roomMessages.get(i);
      seqs[i] = message.seq();
      frames[i] = TextFrame.message(RpcCodec.encode(Notifications.CHAT_MESSAGE.toMessage(message)), message.room(),
          message.seq());
    }
    return new Encoded(room, seqs, frames);
  }

  private static void addOnce(Map<String, List<Encoded>> byUser, String user, Encoded encoded) {
    List<Encoded> runs = byUser.computeIfAbsent(user, u -> new ArrayList<>(1));
    if (!runs.contains(encoded)) {
      runs.add(encoded);
    }
  }

  /**
   * Direct messages (contract 1.1) go to every session here of the sender and of the recipient,
   * joined or not, and by this path only (never by the room's member list), so none gets one twice.
   * A session that is in the conversation room gets them through its feed there, which holds them
   * while its join reads the store and drops what the join covered; any other session gets them
   * straight away. A session whose token does not allow the room gets nothing. Runs on the delivery thread, like the rest of the round, so each session gets
   * a conversation's messages in seq order.
   */
  private void deliverDirect(Map<String, List<Encoded>> byUser, WriteBatch batch) {
    sessions.forEachOf(byUser.keySet(), session -> {
      // getOrDefault: a session renamed since the index found it gets nothing of its old name's.
      for (Encoded run : byUser.getOrDefault(session.user(), List.of())) {
        if (!session.mayUse(run.room())) {
          continue; // a token whose rooms claim leaves the conversation out
        }
        Room room = rooms.get(run.room());
        RoomFeed feed = room == null ? null : room.feedOf(session);
        (feed != null ? feed : session.directFeed()).messages(run.seqs(), run.frames(), batch);
      }
    });
  }

  /** Whether a session of {@code user} is open on this node (direct messages are for it). */
  public boolean hasSessionOf(String user) {
    return sessions.hasSessionOf(user);
  }

  /** Messages grouped by room: each room's in the order given, the rooms in order of first appearance. */
  public static Map<String, List<Message>> byRoom(List<Message> messages) {
    Map<String, List<Message>> byRoom = new LinkedHashMap<>();
    for (Message message : messages) {
      byRoom.computeIfAbsent(message.room(), r -> new ArrayList<>()).add(message);
    }
    return byRoom;
  }

  /** Adds a joining member (holding until its feed goes live); {@code null} if it already is one. */
  public RoomFeed join(String room, Subscriber subscriber) {
    RoomFeed[] added = new RoomFeed[1];
    rooms.compute(room, (name, existing) -> {
      Room r = existing;
      if (r == null) {
        r = new Room(name);
        Broker b = broker;
        if (b != null) {
          b.subscribe(name);
        }
        occupancy.occupied(name);
      }
      added[0] = r.add(subscriber);
      return r;
    });
    return added[0];
  }

  /** Removes the member; false if it was not one. */
  public boolean leave(String room, Subscriber subscriber) {
    boolean[] removed = new boolean[1];
    rooms.computeIfPresent(room, (name, r) -> {
      removed[0] = r.remove(subscriber);
      if (r.isEmpty()) {
        Broker b = broker;
        if (b != null) {
          b.unsubscribe(name);
        }
        occupancy.vacated(name);
        return null;
      }
      return r;
    });
    return removed[0];
  }

  public boolean isMember(String room, Subscriber subscriber) {
    Room r = rooms.get(room);
    return r != null && r.contains(subscriber);
  }

  /** Distinct users in the room on this node, sorted. */
  public List<String> users(String room) {
    Room r = rooms.get(room);
    return r == null ? List.of() : r.users();
  }

  /** Sessions in the room on this node. */
  public int sessions(String room) {
    Room r = rooms.get(room);
    return r == null ? 0 : r.size();
  }

  /** Distinct users of each active room, counted per session, for a presence snapshot. */
  public Map<String, Map<String, Integer>> snapshot() {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    rooms.forEach((name, room) -> out.put(name, room.userCounts()));
    return out;
  }

  /** Queues a presence notification to every member of a room but {@code except} ({@code null}: all). */
  public void notifyMembers(String room, Subscriber except, String notification) {
    Room r = rooms.get(room);
    if (r != null) {
      r.notifyOthers(except, TextFrame.of(notification));
    }
  }

  /** A room in use here: its local members and the messages delivered to it since it came into use. */
  public record RoomLoad(String room, int members, long messages) {}

  /** Every room in use on this node, for the operations page. */
  public List<RoomLoad> loads() {
    List<RoomLoad> out = new ArrayList<>(rooms.size());
    rooms.forEach((name, room) -> out.add(new RoomLoad(name, room.memberCount(), room.delivered())));
    return out;
  }

  public int roomCount() {
    return rooms.size();
  }

  /** Delivers the rounds already accepted, waiting at most {@code timeoutNanos}, then stops delivering. */
  public void drain(long timeoutNanos) {
    try {
      rounds.close(timeoutNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    drain(0);
    if (workers != null) {
      workers.close();
    }
  }
}
