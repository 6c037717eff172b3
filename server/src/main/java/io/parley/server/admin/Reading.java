package io.parley.server.admin;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * What the node's meters say at one instant: gauges as they stand, counters and histograms as
 * running totals. Two readings a second apart make a {@link Sample}. Immutable.
 *
 * @param gauges the level of each series that is a level ({@link Series#CONNECTIONS}, …), {@code NaN} for the others
 * @param totals the running total of each series that is a rate ({@link Series#STORED}, closes, trips), else {@code NaN}
 */
record Reading(double[] gauges, double[] totals, Histogram ack, Histogram commit, Histogram lag) {

  /** A timer's cumulative bucket counts; {@link #EMPTY} for a timer that does not exist yet. */
  record Histogram(double[] boundsMs, long[] counts, long count) {
    static final Histogram EMPTY = new Histogram(new double[0], new long[0], 0);

    static Histogram of(Timer timer) {
      if (timer == null) {
        return EMPTY;
      }
      HistogramSnapshot snapshot = timer.takeSnapshot();
      CountAtBucket[] buckets = snapshot.histogramCounts();
      double[] bounds = new double[buckets.length];
      long[] counts = new long[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
        counts[i] = (long) buckets[i].count();
      }
      return new Histogram(bounds, counts, snapshot.count());
    }

    /** The {@code q} quantile of what was recorded since {@code before}, in ms, or {@code NaN}. */
    double quantileSince(Histogram before, double q) {
      if (counts.length == 0) {
        return Double.NaN;
      }
      long[] start = before.counts.length == counts.length ? before.counts : new long[counts.length];
      return Quantiles.of(boundsMs, start, counts, before.count, count, q);
    }
  }
}
