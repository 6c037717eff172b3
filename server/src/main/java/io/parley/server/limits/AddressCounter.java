package io.parley.server.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Open sessions per client address, bounded by a maximum. Thread-safe. */
public final class AddressCounter {
  private final int max;
  private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();

  public AddressCounter(int max) {
    this.max = max;
  }

  /** Counts one more session from {@code address}; false (and nothing counted) when it is at the maximum. */
  public boolean tryAcquire(String address) {
    boolean[] ok = {false};
    counts.compute(address, (a, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      ok[0] = true;
      return current + 1;
    });
    return ok[0];
  }

  /** Forgets one session from {@code address}. */
  public void release(String address) {
    counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** Sessions counted for {@code address}. */
  public int count(String address) {
    return counts.getOrDefault(address, 0);
  }
}
