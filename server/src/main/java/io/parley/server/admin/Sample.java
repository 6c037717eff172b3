package io.parley.server.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * One node's figures of one second: {@code t} in epoch seconds, {@code values} indexed by
 * {@link Series#ordinal()}, {@code NaN} where there is no figure (no send in that second has no
 * p99; a single node has no NATS state). Immutable: the array is never handed out.
 */
record Sample(long t, String node, double[] values) {
  Sample {
    if (values.length != Series.ALL.length) {
      throw new IllegalArgumentException("expected " + Series.ALL.length + " values, got " + values.length);
    }
    values = values.clone();
  }

  double get(Series series) {
    return values[series.ordinal()];
  }

  /** {@code {"t":…,"node":…,"connections":…,…}}, with {@code null} for a missing figure. */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("t", t);
    o.addProperty("node", node);
    for (Series s : Series.ALL) {
      o.add(s.key, number(values[s.ordinal()]));
    }
    return o;
  }

  /** The inverse of {@link #toJson}; figures it lacks are missing ({@code NaN}). */
  static Sample fromJson(JsonObject o) {
    double[] v = new double[Series.ALL.length];
    for (Series s : Series.ALL) {
      JsonElement e = o.get(s.key);
      v[s.ordinal()] = e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
    return new Sample(o.get("t").getAsLong(), o.get("node").getAsString(), v);
  }

  /** The cluster's sample of second {@code t} from the nodes' samples of it, each series by its {@link Series.Total}. */
  static Sample total(long t, List<Sample> nodes) {
    double[] v = new double[Series.ALL.length];
    Arrays.fill(v, Double.NaN);
    for (Sample n : nodes) {
      for (Series s : Series.ALL) {
        double x = n.values[s.ordinal()];
        double acc = v[s.ordinal()];
        if (Double.isNaN(x)) {
          continue;
        }
        v[s.ordinal()] = Double.isNaN(acc) ? x : switch (s.total) {
          case SUM -> acc + x;
          case MAX -> Math.max(acc, x);
          case MIN -> Math.min(acc, x);
        };
      }
    }
    return new Sample(t, "cluster", v);
  }

  static JsonElement number(double x) {
    if (Double.isNaN(x)) {
      return JsonNull.INSTANCE;
    }
    // Whole figures stay whole on the wire; latencies keep three decimals (microseconds).
    return x == Math.rint(x) ? new com.google.gson.JsonPrimitive((long) x)
        : new com.google.gson.JsonPrimitive(Math.round(x * 1000) / 1000.0);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sample s && s.t == t && s.node.equals(node) && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(t) * 31 + node.hashCode();
  }

  @Override
  public String toString() {
    return "Sample[" + node + " @" + t + " " + Arrays.toString(values) + "]";
  }
}
