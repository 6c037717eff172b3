package io.parley.server.cluster;

import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts one room's messages back into seq order on this node, whichever node committed them and
 * whatever order the broker brought them in. A message ahead of the next expected seq is held;
 * a message at or below the last delivered one is a duplicate and dropped. Until the room's base
 * is known (the seq a local join read from the store) everything is held, because only the store
 * can say where the run starts.
 *
 * <p>Thread-safe: the committer thread, the broker's dispatcher and the gap filler all offer;
 * delivery happens under the lock so that the order handed to {@code deliver} is the seq order.
 * What one offer releases goes to {@code deliver} in one list: the hub delivers it in one round.
 */
final class RoomSequence {
  private final Consumer<List<Message>> deliver;
  private final TreeMap<Long, Message> held = new TreeMap<>();
  private long next = -1;

  RoomSequence(Consumer<List<Message>> deliver) {
    this.deliver = deliver;
  }

  /** Offers a message; delivers it and whatever it unblocks, in order. */
  synchronized void offer(Message message) {
    offerAll(List.of(message));
  }

  /** Offers messages of this room (any order); delivers what they unblock, in order, in one go. */
  synchronized void offerAll(List<Message> messages) {
    for (Message message : messages) {
      if (next < 0 || message.seq() >= next) {
        held.put(message.seq(), message);
      }
    }
    drain();
  }

  /** The store says the room's messages up to {@code lastSeq} are covered: start after it. */
  synchronized void base(long lastSeq) {
    if (next < 0) {
      next = lastSeq + 1;
    }
    held.headMap(next).clear();
    drain();
  }

  /** The first seq that is missing while later ones wait, or -1 when nothing waits. */
  synchronized long gapStart() {
    return next >= 0 && !held.isEmpty() ? next : -1;
  }

  /** The next seq this node expects, or -1 before the base is known. */
  synchronized long next() {
    return next;
  }

  synchronized int heldCount() {
    return held.size();
  }

  private void drain() {
    if (next < 0) {
      return;
    }
    List<Message> ready = new ArrayList<>();
    while (!held.isEmpty() && held.firstKey() == next) {
      ready.add(held.pollFirstEntry().getValue());
      next++;
    }
    if (!ready.isEmpty()) {
      deliver.accept(ready);
    }
  }
}
