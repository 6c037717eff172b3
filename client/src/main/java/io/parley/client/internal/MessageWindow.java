package io.parley.client.internal;

import io.parley.client.MessageState;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A joined room's latest messages in their current state: each delivered message goes in, each
 * delivered change is applied ({@link MessageState#apply}, idempotent), the oldest go past {@link
 * #CAPACITY}. Updated on the event thread just before the message or change is handed to the
 * application, so a listener that looks here sees exactly what it was told so far. Read from any
 * thread: every method holds the window's lock, and none calls out while holding it.
 */
final class MessageWindow {
  /** The messages kept per room: enough for a screen and its scrollback, bounded in memory. */
  static final int CAPACITY = 1000;

  private final TreeMap<Long, Message> bySeq = new TreeMap<>();
  private final int capacity;

  MessageWindow(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(Message message) {
    bySeq.put(message.seq(), message);
    while (bySeq.size() > capacity) {
      bySeq.pollFirstEntry();
    }
  }

  synchronized void apply(Change change) {
    bySeq.computeIfPresent(change.seq(), (seq, message) -> MessageState.apply(message, change));
  }

  synchronized Optional<Message> get(long seq) {
    return Optional.ofNullable(bySeq.get(seq));
  }

  synchronized List<Message> list() {
    return List.copyOf(new ArrayList<>(bySeq.values()));
  }
}
