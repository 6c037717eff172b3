package io.parley.server.admin;

/**
 * A percentile of one second's latencies, from the growth of a timer's cumulative histogram
 * buckets over that second: the same estimate Prometheus's {@code histogram_quantile} makes
 * (linear within the bucket that holds the rank). Past the last bucket it answers the last
 * bound: the page then shows "at least that".
 */
final class Quantiles {
  private Quantiles() {}

  /**
   * @param bounds the buckets' upper bounds in milliseconds, ascending
   * @param before cumulative counts at each bound at the start of the second
   * @param after the same at its end
   * @param countBefore all recordings at the start (the {@code +Inf} bucket); {@code countAfter} at the end
   * @param q the quantile, 0 to 1
   * @return milliseconds, or {@code NaN} when nothing was recorded in between
   */
  static double of(double[] bounds, long[] before, long[] after, long countBefore, long countAfter, double q) {
    long total = countAfter - countBefore;
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long lowerCount = 0;
    double lowerBound = 0;
    for (int i = 0; i < bounds.length; i++) {
      long count = after[i] - before[i];
      if (count >= rank && count > lowerCount) {
        return lowerBound + (bounds[i] - lowerBound) * (rank - lowerCount) / (count - lowerCount);
      }
      lowerCount = count;
      lowerBound = bounds[i];
    }
    return bounds[bounds.length - 1];
  }
}
