package io.parley.server.admin;

/**
 * The figures of one sample, in the order the page lists them; {@link #key} is the JSON name the
 * page reads. Each says how the cluster total is made from the nodes' values: counts and rates
 * add up; latencies take the worst node (a percentile of percentiles would be made up); states
 * take the worst node too (1 up, 0 down).
 */
enum Series {
  CONNECTIONS("connections", Total.SUM),
  SESSIONS("sessions", Total.SUM),
  ROOMS("rooms", Total.SUM),
  STORED("stored", Total.SUM),
  DELIVERED("delivered", Total.SUM),
  ACK_P50("ackP50", Total.MAX),
  ACK_P99("ackP99", Total.MAX),
  COMMIT_P50("commitP50", Total.MAX),
  COMMIT_P99("commitP99", Total.MAX),
  QUEUED("queued", Total.SUM),
  CLOSE_1001("close1001", Total.SUM),
  CLOSE_1008("close1008", Total.SUM),
  CLOSE_1009("close1009", Total.SUM),
  CLOSE_1013("close1013", Total.SUM),
  RATE_TRIPS("rateTrips", Total.SUM),
  SIZE_TRIPS("sizeTrips", Total.SUM),
  NATS("nats", Total.MIN),
  LAG_P99("lagP99", Total.MAX),
  STORE("store", Total.MIN),
  // Application backend (#18). The outbox is one table for the cluster: every node reads the same
  // depth and age, so the cluster's is the largest, not the sum.
  WEBHOOK_DEPTH("webhookDepth", Total.MAX),
  WEBHOOK_AGE("webhookAge", Total.MAX),
  WEBHOOK_FAILURES("webhookFailures", Total.SUM),
  PROXY_CALLS("proxyCalls", Total.SUM),
  PROXY_REFUSED("proxyRefused", Total.SUM),
  PROXY_FAILED("proxyFailed", Total.SUM);

  /** How the nodes' values of one second make the cluster's. */
  enum Total { SUM, MAX, MIN }

  static final Series[] ALL = values();

  final String key;
  final Total total;

  Series(String key, Total total) {
    this.key = key;
    this.total = total;
  }
}
