package io.parley.server.rpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.server.metrics.LatencyBuckets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts calls by method and outcome, and times them. Meters are cached by key because looking
 * them up in the registry on every call costs more than the call itself for {@code echo}.
 * Unknown method names are folded into one tag so a client cannot grow the registry. The timers
 * carry histogram buckets ({@link LatencyBuckets}), so percentiles can be taken across nodes.
 */
public final class RpcMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<Integer, Counter> rejections = new ConcurrentHashMap<>();
  private final java.util.Set<String> knownMethods;

  public RpcMetrics(MeterRegistry registry, java.util.Set<String> knownMethods) {
    this.registry = registry;
    this.knownMethods = knownMethods;
  }

  void called(String method, int code, long nanos) {
    String name = knownMethods.contains(method) ? method : "unknown";
    String key = name + '|' + code;
    timers.computeIfAbsent(key, k -> LatencyBuckets.on(Timer.builder("parley.rpc.calls"))
            .description("JSON-RPC calls by method and outcome (0 = success, else the error code), from the"
                + " frame's dispatch until the answer is ready; for chat.send that is the send-ack latency")
            .tag("method", name).tag("code", Integer.toString(code)).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void rejected(int code) {
    rejections.computeIfAbsent(code, c -> Counter.builder("parley.rpc.rejected")
            .description("frames or batch members refused before any method ran")
            .tag("code", Integer.toString(c)).register(registry))
        .increment();
  }
}
