package io.parley.bench;

import java.util.function.LongConsumer;

/**
 * The timing every load scenario shares: the measured window after the warm-up, the fixed-rate
 * schedule of an open loop (latency then counts from the intended send time, so a stalled server
 * cannot hide its stall by slowing the client down), and the intended time of each call by its
 * sequence number, for when its answer comes back.
 *
 * <p>Single-threaded: the event loop's.
 */
final class Schedule {
  /** Calls whose intended times are kept; far more than can be outstanding at once. */
  private static final int RING = 1 << 20;

  private final long[] intended = new long[RING];
  private final double rate;
  private long measureStart = Long.MAX_VALUE;
  private long measureEnd = Long.MAX_VALUE;
  private long nextDue;

  /** {@code rate} calls per second in an open loop; 0 for a closed loop. */
  Schedule(double rate) {
    this.rate = rate;
  }

  boolean openLoop() {
    return rate > 0;
  }

  /** Starts the clock at {@code now}: warm-up first, then the measured window. */
  void start(long now, BenchOptions o) {
    measureStart = now + (long) (o.warmupSeconds() * 1e9);
    measureEnd = measureStart + (long) (o.durationSeconds() * 1e9);
    nextDue = now;
  }

  long measureStart() {
    return measureStart;
  }

  long measureEnd() {
    return measureEnd;
  }

  /** True for a time inside the measured window. */
  boolean measured(long nanos) {
    return nanos >= measureStart && nanos < measureEnd;
  }

  void sent(long seq, long intendedAt) {
    intended[(int) (seq & (RING - 1))] = intendedAt;
  }

  long intendedAt(long seq) {
    return intended[(int) (seq & (RING - 1))];
  }

  /**
   * In an open loop, hands every slot that is due by {@code now} to {@code send} (its intended
   * time); returns when the next one is due ({@link Long#MAX_VALUE} for none, or a closed loop).
   */
  long tick(long now, LongConsumer send) {
    if (!openLoop()) {
      return Long.MAX_VALUE;
    }
    long interval = (long) (1e9 / rate);
    while (nextDue <= now && nextDue < measureEnd) {
      send.accept(nextDue);
      nextDue += interval;
    }
    return nextDue < measureEnd ? nextDue : Long.MAX_VALUE;
  }
}
