package io.parley.server.cluster;

import io.parley.protocol.types.Message;
import io.parley.server.hub.RoomChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Puts one room's messages (by seq) or changes (by rev, contract 1.1) back into order on this
 * node, whichever node committed them and whatever order the broker brought them in. An item ahead
 * of the next expected number is held; one at or below the last delivered is a duplicate and
 * dropped. Until the room's base is known (the number a local join read from the store) everything
 * is held, because only the store can say where the run starts.
 *
 * <p>A change sequence also waits for its room's messages: a change is released only once the
 * message it changes was delivered here ({@link #after}), so no member sees a change before the
 * message, which may come from another node by another path.
 *
 * <p>Thread-safe: the committer thread, the broker's dispatcher and the gap filler all offer;
 * delivery happens under the lock so that the order handed to {@code deliver} is the sequence's
 * order. What one offer releases goes to {@code deliver} in one list: the hub delivers it in one round.
 *
 * @param <T> {@link Message} or {@link RoomChange}
 */
final class RoomSequence<T> {
  private final ToLongFunction<T> number;
  private final Consumer<List<T>> deliver;
  private final TreeMap<Long, T> held = new TreeMap<>();
  private long next = -1;
  /**
   * {@code next - 1} once the base is known, for other sequences' gates: read without this lock, so
   * a change sequence (which reads it under its own lock) never waits for a message sequence, whose
   * delivery under its lock may call into the change sequence ({@link #retry}).
   */
  private volatile long deliveredUpTo = -1;
  private volatile Runnable onDelivered;
  /** For changes: the seq each one changes, and how far the room's messages were delivered. */
  private ToLongFunction<T> needs;
  private LongSupplier delivered;

  RoomSequence(ToLongFunction<T> number, Consumer<List<T>> deliver) {
    this.number = number;
    this.deliver = deliver;
  }

  /** A room's messages, by seq. */
  static RoomSequence<Message> ofMessages(Consumer<List<Message>> deliver) {
    return new RoomSequence<>(Message::seq, deliver);
  }

  /** A room's changes, by rev, each released only after the message it changes ({@code messages}). */
  static RoomSequence<RoomChange> ofChanges(Consumer<List<RoomChange>> deliver, RoomSequence<Message> messages) {
    RoomSequence<RoomChange> sequence = new RoomSequence<>(RoomChange::rev, deliver);
    if (messages != null) {
      sequence.after(c -> c.change().seq(), messages::delivered);
      messages.onDelivered(sequence::retry);
    }
    return sequence;
  }

  /** Holds each item until {@code delivered} reaches {@code needs} of it. */
  synchronized void after(ToLongFunction<T> needs, LongSupplier delivered) {
    this.needs = needs;
    this.delivered = delivered;
  }

  /** Offers an item; delivers it and whatever it unblocks, in order. */
  synchronized void offer(T item) {
    offerAll(List.of(item));
  }

  /** Offers items of this room (any order); delivers what they unblock, in order, in one go. */
  synchronized void offerAll(List<T> items) {
    for (T item : items) {
      long n = number.applyAsLong(item);
      if (next < 0 || n >= next) {
        held.put(n, item);
      }
    }
    drain();
  }

  /** The store says the room's items up to {@code last} are covered: start after it. */
  synchronized void base(long last) {
    if (next < 0) {
      next = last + 1;
      deliveredUpTo = last;
    }
    held.headMap(next).clear();
    drain();
    Runnable then = onDelivered;
    if (then != null) {
      then.run();
    }
  }

  /** Runs {@code then} (under this lock) each time items were delivered or the base was set. */
  void onDelivered(Runnable then) {
    this.onDelivered = then;
  }

  /** The first number that is missing while later ones wait, or -1 when nothing waits for one. */
  synchronized long gapStart() {
    return next >= 0 && !held.isEmpty() && held.firstKey() != next ? next : -1;
  }

  /** The next number this node expects, or -1 before the base is known. */
  synchronized long next() {
    return next;
  }

  /** The last number delivered here, or -1 before the base is known. Takes no lock. */
  long delivered() {
    return deliveredUpTo;
  }

  synchronized int heldCount() {
    return held.size();
  }

  /** Delivers what waited for the room's messages only (call after they moved on). */
  synchronized void retry() {
    drain();
  }

  private void drain() {
    if (next < 0) {
      return;
    }
    List<T> ready = new ArrayList<>();
    while (!held.isEmpty() && held.firstKey() == next && mayGo(held.firstEntry().getValue())) {
      ready.add(held.pollFirstEntry().getValue());
      next++;
    }
    if (!ready.isEmpty()) {
      deliver.accept(ready);
    }
    deliveredUpTo = next - 1; // after the hub has them: a change released now comes after its message
    Runnable then = onDelivered;
    if (then != null && !ready.isEmpty()) {
      then.run();
    }
  }

  private boolean mayGo(T item) {
    if (needs == null) {
      return true;
    }
    long have = delivered.getAsLong();
    return have < 0 || needs.applyAsLong(item) <= have;
  }
}
