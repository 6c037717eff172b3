package io.parley.server.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Reads the node's own meters (the ones {@code /metrics} shows) into a {@link Reading}: the page
 * plots exactly what Prometheus would scrape. Meters that do not exist yet (no send so far, no
 * NATS on a single node) read as nothing. Called on the sampler's thread only.
 */
final class MeterReadings {
  private static final String[] SIZE_LIMITS = {"text_too_large", "batch_too_large", "reply_too_large"};

  private final MeterRegistry registry;
  private final BooleanSupplier storeDown;

  /** @param storeDown whether the committer finds storage down (the store state plotted) */
  MeterReadings(MeterRegistry registry, BooleanSupplier storeDown) {
    this.registry = registry;
    this.storeDown = storeDown;
  }

  Reading read() {
    double[] gauges = nan();
    double[] totals = nan();
    gauges[Series.CONNECTIONS.ordinal()] = gaugeSum(registry.find("jetty.connections.current"));
    gauges[Series.SESSIONS.ordinal()] = gaugeSum(registry.find("parley.sessions"));
    gauges[Series.ROOMS.ordinal()] = gaugeSum(registry.find("parley.rooms"));
    gauges[Series.QUEUED.ordinal()] = gaugeSum(registry.find("parley.outbound.unwritten"));
    Gauge nats = registry.find("parley.cluster.connected").gauge();
    gauges[Series.NATS.ordinal()] = nats == null ? Double.NaN : nats.value();
    gauges[Series.STORE.ordinal()] = storeDown.getAsBoolean() ? 0 : 1;
    DistributionSummary batches = registry.find("parley.store.batch.size").summary();
    totals[Series.STORED.ordinal()] = batches == null ? 0 : batches.totalAmount();
    FunctionCounter delivered = registry.find("parley.notifications.delivered").functionCounter();
    totals[Series.DELIVERED.ordinal()] = delivered == null ? 0 : delivered.count();
    totals[Series.CLOSE_1001.ordinal()] = closed("1001");
    totals[Series.CLOSE_1008.ordinal()] = closed("1008");
    totals[Series.CLOSE_1009.ordinal()] = closed("1009");
    totals[Series.CLOSE_1013.ordinal()] = closed("1013");
    totals[Series.RATE_TRIPS.ordinal()] = tripped("rate");
    double size = 0;
    for (String limit : SIZE_LIMITS) {
      size += tripped(limit);
    }
    totals[Series.SIZE_TRIPS.ordinal()] = size;
    gauges[Series.WEBHOOK_DEPTH.ordinal()] = gaugeOrNothing(registry.find("parley.webhooks.outbox.depth").gauge());
    gauges[Series.WEBHOOK_AGE.ordinal()] = gaugeOrNothing(registry.find("parley.webhooks.outbox.oldest.age").gauge());
    totals[Series.WEBHOOK_FAILURES.ordinal()] = count(registry.find("parley.webhooks.failures").counter());
    totals[Series.PROXY_CALLS.ordinal()] = counterSum(registry.find("parley.proxy.calls"));
    totals[Series.PROXY_REFUSED.ordinal()] = counterSum(registry.find("parley.proxy.calls").tag("outcome", "refused"));
    totals[Series.PROXY_FAILED.ordinal()] = counterSum(registry.find("parley.proxy.calls").tag("outcome", "failed"));
    return new Reading(gauges, totals,
        Reading.Histogram.of(registry.find("parley.rpc.calls").tag("method", "chat.send").tag("code", "0").timer()),
        Reading.Histogram.of(registry.find("parley.store.commit").timer()),
        Reading.Histogram.of(registry.find("parley.cluster.lag").timer()));
  }

  private double closed(String code) {
    return count(registry.find("parley.sessions.closed").tag("code", code).counter());
  }

  private double tripped(String limit) {
    return count(registry.find("parley.limits.tripped").tag("limit", limit).counter());
  }

  private static double count(Counter counter) {
    return counter == null ? 0 : counter.count();
  }

  /** A gauge that exists only when its feature is on (webhooks): nothing plotted otherwise. */
  private static double gaugeOrNothing(Gauge gauge) {
    return gauge == null ? Double.NaN : gauge.value();
  }

  private static double counterSum(Search search) {
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double gaugeSum(Search search) {
    return search.gauges().stream().mapToDouble(Gauge::value).sum();
  }

  private static double[] nan() {
    double[] v = new double[Series.ALL.length];
    Arrays.fill(v, Double.NaN);
    return v;
  }
}
