package io.parley.server.hub;

import io.parley.server.ws.RoomFeed;
import io.parley.server.ws.Subscriber;
import io.parley.server.ws.TextFrame;
import io.parley.server.ws.WriteBatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local members of one room.
 *
 * <p>Fan-out walks a plain array that is replaced on every join and leave (copy on write): a
 * room is read once per message and per member, and changed only when someone comes or goes,
 * so walking a concurrent map's nodes on every message cost more than the copies do.
 *
 * <p>Thread-safe: changes are serialised on this room; readers take the current array (or the
 * concurrent map, for a membership check) without a lock.
 */
final class Room {
  private static final RoomFeed[] NONE = new RoomFeed[0];

  private final String name;
  private final Map<Subscriber, RoomFeed> bySubscriber = new ConcurrentHashMap<>();
  private volatile RoomFeed[] members = NONE;
  /** Messages delivered here since the room came into use; only the delivery thread adds (for the operations page). */
  private volatile long delivered;

  Room(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Adds a joining member (its feed holds until it goes live); returns {@code null} if it already is one. */
  synchronized RoomFeed add(Subscriber subscriber) {
    if (bySubscriber.containsKey(subscriber)) {
      return null;
    }
    RoomFeed feed = subscriber.joinFeed();
    bySubscriber.put(subscriber, feed);
    members = bySubscriber.values().toArray(NONE);
    return feed;
  }

  synchronized boolean remove(Subscriber subscriber) {
    if (bySubscriber.remove(subscriber) == null) {
      return false;
    }
    members = bySubscriber.values().toArray(NONE);
    return true;
  }

  /** Members (sessions) in the room. */
  int size() {
    return members.length;
  }

  /** The subscriber's feed in this room, or {@code null} if it is not a member. */
  RoomFeed feedOf(Subscriber subscriber) {
    return bySubscriber.get(subscriber);
  }

  boolean contains(Subscriber subscriber) {
    return bySubscriber.containsKey(subscriber);
  }

  int memberCount() {
    return members.length;
  }

  long delivered() {
    return delivered;
  }

  boolean isEmpty() {
    return members.length == 0;
  }

  /**
   * Hands several committed messages (ascending seq) to every member, each member's in one go,
   * written through {@code batch}; a large room's members are split over {@code workers}
   * ({@code null}: all on this thread).
   */
  void deliverAll(long[] seqs, TextFrame[] frames, FanOutWorkers workers, WriteBatch batch) {
    delivered += seqs.length; // one writer: the hub's delivery thread
    RoomFeed[] all = members;
    if (workers != null && all.length >= FanOutWorkers.SPLIT_FROM) {
      workers.deliver(all, seqs, frames, batch);
      return;
    }
    for (RoomFeed member : all) {
      member.messages(seqs, frames, batch);
    }
  }

  /** Hands committed changes (ascending rev) to every member, on this thread. */
  void deliverChanges(long[] revs, TextFrame[] frames, WriteBatch batch) {
    for (RoomFeed member : members) {
      member.changes(revs, frames, batch);
    }
  }

  /** Hands a presence notification to every member but {@code except} (joining ones hold it). */
  void notifyOthers(Subscriber except, TextFrame frame) {
    for (RoomFeed member : members) {
      if (member.subscriber() != except) {
        member.event(frame);
      }
    }
  }

  /** Sessions per user. */
  Map<String, Integer> userCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (RoomFeed member : members) {
      counts.merge(member.subscriber().user(), 1, Integer::sum);
    }
    return counts;
  }

  /** Distinct user names, sorted. */
  List<String> users() {
    TreeSet<String> users = new TreeSet<>();
    for (RoomFeed member : members) {
      users.add(member.subscriber().user());
    }
    return List.copyOf(users);
  }
}
