package io.parley.server.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts every limit that trips, as {@code parley.limits.tripped{limit=…}}. Thread-safe. */
public final class LimitMetrics {
  public static final String RATE = "rate";
  public static final String SESSIONS_PER_ADDRESS = "sessions_per_address";
  public static final String ROOMS_PER_SESSION = "rooms_per_session";
  public static final String BATCH_TOO_LARGE = "batch_too_large";
  public static final String TEXT_TOO_LARGE = "text_too_large";
  public static final String SLOW_CONSUMER = "slow_consumer";
  public static final String NO_PONG = "no_pong";
  public static final String REPLY_TOO_LARGE = "reply_too_large";

  /** Counts nothing: for code paths built without a registry (unit tests). */
  public static final LimitMetrics NONE = new LimitMetrics(null);

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public LimitMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void tripped(String limit) {
    if (registry == null) {
      return;
    }
    counters.computeIfAbsent(limit, l -> Counter.builder("parley.limits.tripped")
            .description("limits that refused a call, a session or a frame, by limit")
            .tag("limit", l).register(registry))
        .increment();
  }
}
