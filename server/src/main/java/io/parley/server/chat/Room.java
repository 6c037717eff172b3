package io.parley.server.chat;

import io.parley.server.ws.ClientSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The local members of one room. Thread-safe; fan-out iterates a concurrent map. */
final class Room {
  private final String name;
  private final Map<ClientSession, Member> members = new ConcurrentHashMap<>();

  Room(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Adds the session as a joining member; returns {@code null} if it already is one. */
  Member add(ClientSession session) {
    Member member = new Member(session);
    return members.putIfAbsent(session, member) == null ? member : null;
  }

  boolean remove(ClientSession session) {
    return members.remove(session) != null;
  }

  boolean contains(ClientSession session) {
    return members.containsKey(session);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /** Hands a committed message's notification (serialised once) to every member. */
  void deliver(long seq, String text) {
    for (Member member : members.values()) {
      member.deliver(seq, text);
    }
  }

  /** Hands a presence notification to every member but {@code except} (joining ones hold it). */
  void notifyOthers(ClientSession except, String text) {
    for (Member member : members.values()) {
      if (member.session() != except) {
        member.deliverEvent(text);
      }
    }
  }

  /** Sessions per user. */
  Map<String, Integer> userCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (ClientSession session : members.keySet()) {
      counts.merge(session.user(), 1, Integer::sum);
    }
    return counts;
  }

  /** Distinct user names, sorted. */
  List<String> users() {
    TreeSet<String> users = new TreeSet<>();
    for (ClientSession session : members.keySet()) {
      users.add(session.user());
    }
    return List.copyOf(users);
  }
}
