package io.parley.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one scenario run, in insertion order: printed as one {@code RESULT {json}} line
 * for scripts and read by tests through {@link #number}.
 */
public final class Result {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  Result(String scenario) {
    fields.put("scenario", scenario);
  }

  Result put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  /** Adds {@code <prefix>_p50_ms}, p99, p99.9 and max from a histogram of microseconds. */
  Result latency(String prefix, Histogram h) {
    put(prefix + "_p50_ms", ms(h.getValueAtPercentile(50)));
    put(prefix + "_p99_ms", ms(h.getValueAtPercentile(99)));
    put(prefix + "_p999_ms", ms(h.getValueAtPercentile(99.9)));
    return put(prefix + "_max_ms", ms(h.getMaxValue()));
  }

  /** Adds CPU per operation in µs, or -1 when the CPU time is unknown. */
  Result cpuPerOp(String key, long cpuNanos, long ops) {
    return put(key, cpuNanos < 0 || ops <= 0 ? -1 : round(cpuNanos / 1000.0 / ops, 2));
  }

  private static double ms(long micros) {
    return round(micros / 1000.0, 3);
  }

  static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }

  /** A numeric field, or NaN when absent. */
  public double number(String key) {
    Object v = fields.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  public Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  /** The fields as one compact JSON object. */
  public String json() {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number || v instanceof Boolean) {
        b.append(v);
      } else {
        b.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return b.append('}').toString();
  }

  /** The fields as aligned {@code key value} lines for people. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      b.append(String.format(Locale.ROOT, "  %-26s %s%n", e.getKey(), e.getValue()));
    }
    return b.toString();
  }
}
