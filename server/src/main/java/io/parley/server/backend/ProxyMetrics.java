package io.parley.server.backend;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the proxies did, on {@code /metrics}: {@code parley_proxy_calls_total{proxy, outcome}},
 * where {@code proxy} is {@code connect} or {@code publish} and {@code outcome} is {@code allowed}
 * (admitted, or stored as sent), {@code rewritten} (publish: the backend's text), {@code refused}
 * (403, {@code -32006}) or {@code failed} ({@code -32005}: an error, a bad answer, a timeout, or
 * too many calls waiting). A growing {@code failed} count means the backend is down or too slow for
 * {@code PARLEY_PROXY_TIMEOUT_MS}. Thread-safe.
 */
final class ProxyMetrics {
  static final String CONNECT = "connect";
  static final String PUBLISH = "publish";
  static final String ALLOWED = "allowed";
  static final String REWRITTEN = "rewritten";
  static final String REFUSED = "refused";
  static final String FAILED = "failed";

  /** Counts nothing: for proxies built without a registry (tests of the classes alone). */
  static final ProxyMetrics NONE = new ProxyMetrics(null);

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry != null) {
      for (String proxy : new String[] {CONNECT, PUBLISH}) {
        for (String outcome : new String[] {ALLOWED, REWRITTEN, REFUSED, FAILED}) {
          if (!(proxy.equals(CONNECT) && outcome.equals(REWRITTEN))) {
            counter(proxy, outcome);
          }
        }
      }
    }
  }

  void count(String proxy, String outcome) {
    if (registry != null) {
      counter(proxy, outcome).increment();
    }
  }

  /** The outcome of a call that failed with {@code failure}: refused for -32006, else failed. */
  static String outcomeOf(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof io.parley.protocol.RpcException e
        && e.code() == io.parley.protocol.ErrorCodes.REJECTED ? REFUSED : FAILED;
  }

  private Counter counter(String proxy, String outcome) {
    return counters.computeIfAbsent(proxy + "/" + outcome, key -> Counter.builder("parley.proxy.calls")
        .description("calls to the application backend's connect and publish proxies, by outcome")
        .tag("proxy", proxy).tag("outcome", outcome).register(registry));
  }
}
