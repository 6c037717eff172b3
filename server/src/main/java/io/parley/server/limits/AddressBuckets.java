package io.parley.server.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per client address, for what has no session of its own: each call of
 * {@code POST /rpc}, each {@code /api/...} request and each WebSocket upgrade.
 * Bounded: past {@value #MAX_ADDRESSES} addresses the map is emptied and every address starts
 * with a full bucket again, so a flood of addresses costs memory only up to the bound.
 * Thread-safe.
 */
public final class AddressBuckets {
  static final int MAX_ADDRESSES = 10_000;

  private final int rate;
  private final int burst;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public AddressBuckets(int rate, int burst, LongSupplier nanoTime) {
    this.rate = rate;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** The bucket of {@code address}, made on first use. */
  public TokenBucket of(String address) {
    TokenBucket bucket = buckets.get(address);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= MAX_ADDRESSES) {
      buckets.clear();
    }
    return buckets.computeIfAbsent(address, a -> new TokenBucket(rate, burst, nanoTime));
  }
}
