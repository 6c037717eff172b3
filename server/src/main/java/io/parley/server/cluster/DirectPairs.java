package io.parley.server.cluster;

import io.parley.protocol.types.Message;
import io.parley.server.hub.Hub;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The direct conversations (contract 1.1) this node follows: those with a session here of one of
 * their two users. Knows each one's pair, so that messages read back from the store, which do not
 * say whom they were to, can be addressed again. Thread-safe.
 */
final class DirectPairs {
  private final Hub hub;
  private final ConcurrentMap<String, List<String>> pairs = new ConcurrentHashMap<>();

  DirectPairs(Hub hub) {
    this.hub = hub;
  }

  /** Whether this node should follow the conversation {@code first} belongs to; if so, notes its pair. */
  boolean follow(String room, Message first) {
    if (first.to() == null || !hub.hasSessionOf(first.from()) && !hub.hasSessionOf(first.to())) {
      return false;
    }
    pairs.put(room, List.of(first.from(), first.to()));
    return true;
  }

  /** Whether this node should follow the conversation of a change by {@code user}, as for a message. */
  boolean follow(String room, String user, String to) {
    if (to == null || !hub.hasSessionOf(user) && !hub.hasSessionOf(to)) {
      return false;
    }
    pairs.put(room, List.of(user, to));
    return true;
  }

  /** The participant of a followed conversation other than {@code user}, or {@code null}. */
  String other(String room, String user) {
    List<String> pair = pairs.get(room);
    return pair == null ? null : pair.get(0).equals(user) ? pair.get(1) : pair.get(0);
  }

  /** The message as sent: with {@code to} set to the pair's other user (unchanged for other rooms). */
  Message addressed(String room, Message message) {
    List<String> pair = pairs.get(room);
    if (pair == null) {
      return message;
    }
    return message.withTo(pair.get(0).equals(message.from()) ? pair.get(1) : pair.get(0));
  }

  /** Stops following the conversations neither of whose users has a session here; tells {@code forget}. */
  void dropIdle(Consumer<String> forget) {
    pairs.forEach((room, pair) -> {
      if (pair.stream().noneMatch(hub::hasSessionOf)) {
        pairs.remove(room);
        forget.accept(room);
      }
    });
  }
}
