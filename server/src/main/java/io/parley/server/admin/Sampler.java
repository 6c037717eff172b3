package io.parley.server.admin;

import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, on its own thread ({@code parley-admin-sampler}): reads the meters, turns the
 * change since the last reading into this node's {@link Sample} (rates per second over the time
 * that really passed), makes the tables, keeps both in {@link ClusterFigures}, tells the other
 * nodes, and pushes the cluster's second to the open streams. Runs from start to close whether or
 * not a page is open, so a page opened later fills its plots from the last 15 minutes at once.
 */
final class Sampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);
  private static final long PERIOD_MS = 1_000;
  private static final double NANOS_PER_SECOND = 1e9;

  private final MeterReadings meters;
  private final Tables tables;
  private final ClusterFigures figures;
  private final OperationsChannel channel;
  private final EventStream stream;
  private final LongSupplier clockMillis;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parley-admin-sampler");
    t.setDaemon(true);
    return t;
  });
  private Reading last;
  private long lastNanos;

  Sampler(MeterReadings meters, Tables tables, ClusterFigures figures, OperationsChannel channel, EventStream stream,
      LongSupplier clockMillis) {
    this.meters = meters;
    this.tables = tables;
    this.figures = figures;
    this.channel = channel;
    this.stream = stream;
    this.clockMillis = clockMillis;
  }

  void start() {
    thread.execute(this::prime);
    long toNextSecond = PERIOD_MS - clockMillis.getAsLong() % PERIOD_MS;
    thread.scheduleAtFixedRate(this::tickSafely, toNextSecond, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** The first reading, which the first sample is measured from. */
  void prime() {
    last = meters.read();
    lastNanos = System.nanoTime();
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A failed second is a gap in the plots, never the end of sampling.
      LOG.warn("operations sample failed: {}", e.toString());
    }
  }

  /** One second: sample, keep, tell the other nodes, push. Sampler thread (tests call it directly after {@link #prime}). */
  void tick() {
    Reading now = meters.read();
    long nanos = System.nanoTime();
    double seconds = Math.max(1e-3, (nanos - lastNanos) / NANOS_PER_SECOND);
    Sample sample = between(clockMillis.getAsLong() / PERIOD_MS, figures.self(), last, now, seconds);
    last = now;
    lastNanos = nanos;
    JsonObject table = tables.build(seconds);
    figures.add(sample, table);
    channel.publish(ClusterFigures.shared(sample, table));
    if (stream.hasListeners()) {
      stream.push(JsonText.write(figures.event()));
    }
  }

  /** The sample of second {@code t} from two readings {@code seconds} apart. */
  static Sample between(long t, String node, Reading before, Reading after, double seconds) {
    double[] v = new double[Series.ALL.length];
    for (Series s : Series.ALL) {
      int i = s.ordinal();
      double level = after.gauges()[i];
      double total = after.totals()[i];
      v[i] = !Double.isNaN(level) ? level
          : Double.isNaN(total) ? Double.NaN
          : Math.max(0, total - before.totals()[i]) / seconds;
    }
    v[Series.ACK_P50.ordinal()] = after.ack().quantileSince(before.ack(), 0.50);
    v[Series.ACK_P99.ordinal()] = after.ack().quantileSince(before.ack(), 0.99);
    v[Series.COMMIT_P50.ordinal()] = after.commit().quantileSince(before.commit(), 0.50);
    v[Series.COMMIT_P99.ordinal()] = after.commit().quantileSince(before.commit(), 0.99);
    v[Series.LAG_P99.ordinal()] = after.lag().quantileSince(before.lag(), 0.99);
    return new Sample(t, node, v);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
