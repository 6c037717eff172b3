package io.parley.server.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} items, oldest first; adding to a full ring drops the oldest. The
 * sampler's thread adds, page requests read: all methods are synchronized, and reads copy.
 */
final class Ring<T> {
  private final Object[] items;
  private int next;
  private int size;

  Ring(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.items = new Object[capacity];
  }

  synchronized void add(T item) {
    items[next] = item;
    next = (next + 1) % items.length;
    size = Math.min(size + 1, items.length);
  }

  /** Everything held, oldest first. */
  @SuppressWarnings("unchecked")
  synchronized List<T> toList() {
    List<T> out = new ArrayList<>(size);
    int first = (next - size + items.length) % items.length;
    for (int i = 0; i < size; i++) {
      out.add((T) items[(first + i) % items.length]);
    }
    return out;
  }

  /** The newest item, or {@code null} when empty. */
  @SuppressWarnings("unchecked")
  synchronized T last() {
    return size == 0 ? null : (T) items[(next - 1 + items.length) % items.length];
  }

  synchronized int size() {
    return size;
  }
}
