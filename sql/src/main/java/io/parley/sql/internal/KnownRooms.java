package io.parley.sql.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rooms this process knows to have a row in {@code rooms}, so that appends to them skip the
 * create; the most recently used {@link #DEFAULT_CAPACITY} of them.
 *
 * <p>Why bounded: the set once kept every room name ever written, about 140 bytes each, for the
 * life of the process; a client writing to ever new room names grew it without limit. Forgetting
 * a room costs its next append one {@code INSERT ... ON CONFLICT DO NOTHING}, which is
 * idempotent, so a least-recently-used bound is safe at any size.
 *
 * <p>Threading: every method is synchronized; the store's single committer is the usual caller,
 * so the lock is uncontended.
 */
final class KnownRooms {

  /** Rooms remembered: about 14 MB of names at most, far more than a node has active. */
  static final int DEFAULT_CAPACITY = 100_000;

  private final Map<String, Boolean> rooms;

  KnownRooms(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.rooms = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True if the room is known to have a row; counts as a use of it. */
  synchronized boolean contains(String room) {
    return rooms.get(room) != null;
  }

  synchronized void addAll(Collection<String> created) {
    created.forEach(room -> rooms.put(room, Boolean.TRUE));
  }

  /** Forgets every room, after the rows went away under us. */
  synchronized void clear() {
    rooms.clear();
  }

  synchronized int size() {
    return rooms.size();
  }
}
