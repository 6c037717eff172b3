package io.parley.server.chat;

import io.parley.server.ws.ClientSession;
import io.parley.server.ws.TextFrame;
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
  private static final Member[] NONE = new Member[0];

  private final String name;
  private final Map<ClientSession, Member> bySession = new ConcurrentHashMap<>();
  private volatile Member[] members = NONE;

  Room(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Adds the session as a joining member; returns {@code null} if it already is one. */
  synchronized Member add(ClientSession session) {
    if (bySession.containsKey(session)) {
      return null;
    }
    Member member = new Member(session);
    bySession.put(session, member);
    members = bySession.values().toArray(NONE);
    return member;
  }

  synchronized boolean remove(ClientSession session) {
    if (bySession.remove(session) == null) {
      return false;
    }
    members = bySession.values().toArray(NONE);
    return true;
  }

  boolean contains(ClientSession session) {
    return bySession.containsKey(session);
  }

  boolean isEmpty() {
    return members.length == 0;
  }

  /** Hands a committed message's notification (encoded once) to every member. */
  void deliver(long seq, TextFrame frame) {
    for (Member member : members) {
      member.deliver(seq, frame);
    }
  }

  /**
   * Hands several committed messages (ascending seq) to every member, each member's in one go;
   * a large room's members are split over {@code workers} ({@code null}: all on this thread).
   */
  void deliverAll(long[] seqs, TextFrame[] frames, FanOutWorkers workers) {
    Member[] all = members;
    if (workers != null && all.length >= FanOutWorkers.SPLIT_FROM) {
      workers.deliver(all, seqs, frames);
      return;
    }
    for (Member member : all) {
      member.deliverAll(seqs, frames);
    }
  }

  /** Hands a presence notification to every member but {@code except} (joining ones hold it). */
  void notifyOthers(ClientSession except, TextFrame frame) {
    for (Member member : members) {
      if (member.session() != except) {
        member.deliverEvent(frame);
      }
    }
  }

  /** Sessions per user. */
  Map<String, Integer> userCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (Member member : members) {
      counts.merge(member.session().user(), 1, Integer::sum);
    }
    return counts;
  }

  /** Distinct user names, sorted. */
  List<String> users() {
    TreeSet<String> users = new TreeSet<>();
    for (Member member : members) {
      users.add(member.session().user());
    }
    return List.copyOf(users);
  }
}
