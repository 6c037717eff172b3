package io.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.server.metrics.LatencyBuckets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The sampler's parts without a server: the ring, percentiles from buckets, samples, the cluster's figures. */
class FiguresTest {

  @Test
  void theRingKeepsTheLastItemsOldestFirst() {
    Ring<Integer> ring = new Ring<>(3);
    assertThat(ring.toList()).isEmpty();
    assertThat(ring.last()).isNull();
    ring.add(1);
    ring.add(2);
    assertThat(ring.toList()).containsExactly(1, 2);
    ring.add(3);
    ring.add(4);
    ring.add(5);
    assertThat(ring.toList()).containsExactly(3, 4, 5);
    assertThat(ring.last()).isEqualTo(5);
    assertThat(ring.size()).isEqualTo(3);
    Assertions.assertThatThrownBy(() -> new Ring<>(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTablesKeepTheGreatestRowsGreatestFirst() {
    List<Integer> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add((i * 7919) % 1000);
    }
    assertThat(Tables.top(many, Integer::compare, 3)).containsExactly(999, 998, 997);
    assertThat(Tables.top(List.of(2, 1), Integer::compare, 3)).containsExactly(2, 1);
  }

  @Test
  void fifteenMinutesOfSamplesFitAndTheSixteenthPushesOutTheFirst() {
    ClusterFigures figures = new ClusterFigures("a", () -> 0);
    for (int t = 0; t < ClusterFigures.SECONDS + 60; t++) {
      figures.add(sample(t, "a", 1), new JsonObject());
    }
    JsonObject times = figures.snapshot().getAsJsonObject("nodes").getAsJsonObject("a");
    assertThat(times.getAsJsonArray("t").size()).isEqualTo(900);
    assertThat(times.getAsJsonArray("t").get(0).getAsLong()).isEqualTo(60);
    assertThat(times.getAsJsonArray("connections").size()).isEqualTo(900);
  }

  @Test
  void percentilesInterpolateWithinTheBucketOfTheRank() {
    double[] bounds = {1, 2, 5, 10};
    long[] before = {5, 5, 5, 5};
    // 100 more in the second: 50 at or under 1 ms, 40 in (1, 2], 10 in (2, 5].
    long[] after = {55, 95, 105, 105};
    assertThat(Quantiles.of(bounds, before, after, 5, 105, 0.5)).isCloseTo(1.0, within(1e-9));
    assertThat(Quantiles.of(bounds, before, after, 5, 105, 0.9)).isCloseTo(2.0, within(1e-9));
    assertThat(Quantiles.of(bounds, before, after, 5, 105, 0.99)).isCloseTo(2 + 3 * 0.9, within(1e-9));
    assertThat(Quantiles.of(bounds, before, after, 5, 5, 0.99)).as("nothing recorded").isNaN();
    assertThat(Quantiles.of(bounds, before, before, 5, 15, 0.99)).as("all past the last bucket").isEqualTo(10);
  }

  @Test
  void aSampleIsMadeFromTwoReadingsOfTheMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger sessions = new AtomicInteger(7);
    Gauge.builder("parley.sessions", sessions, AtomicInteger::get).register(registry);
    Counter closed1013 = Counter.builder("parley.sessions.closed").tag("code", "1013").register(registry);
    Timer acks = LatencyBuckets.on(Timer.builder("parley.rpc.calls")).tag("method", "chat.send").tag("code", "0")
        .register(registry);
    MeterReadings meters = new MeterReadings(registry, () -> false);

    Reading before = meters.read();
    sessions.set(9);
    closed1013.increment(4);
    for (int i = 0; i < 99; i++) {
      acks.record(Duration.ofMillis(3));
    }
    acks.record(Duration.ofMillis(400));
    Sample s = Sampler.between(1000, "a", before, meters.read(), 2.0);

    assertThat(s.get(Series.SESSIONS)).isEqualTo(9);
    assertThat(s.get(Series.CLOSE_1013)).as("4 closes over 2 s").isEqualTo(2);
    assertThat(s.get(Series.CLOSE_1001)).isZero();
    assertThat(s.get(Series.ACK_P50)).isBetween(2.0, 5.0);
    assertThat(s.get(Series.ACK_P99)).isBetween(2.0, 5.0);
    assertThat(s.get(Series.COMMIT_P99)).as("no commit timer yet").isNaN();
    assertThat(s.get(Series.NATS)).as("single node").isNaN();
    assertThat(s.get(Series.STORE)).isEqualTo(1);
    assertThat(s.toJson().get("nats").isJsonNull()).isTrue();
    assertThat(Sample.fromJson(s.toJson()).toJson()).as("what the nodes share reads back").isEqualTo(s.toJson());
  }

  @Test
  void eachTickKeepsASampleAndTellsTheOtherNodesWhatTheyCanRead() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger sessions = new AtomicInteger(4);
    Gauge.builder("parley.sessions", sessions, AtomicInteger::get).register(registry);
    List<String> told = new java.util.ArrayList<>();
    OperationsChannel channel = new OperationsChannel() {
      @Override
      public void publish(String figures) {
        told.add(figures);
      }

      @Override
      public void onHeard(java.util.function.Consumer<String> figures, java.util.function.Consumer<String> disconnect) {}

      @Override
      public void askToDisconnect(String node, String session) {}
    };
    io.parley.server.ws.SessionRegistry registered = new io.parley.server.ws.SessionRegistry();
    io.parley.server.hub.Hub hub = new io.parley.server.hub.Hub(registered, null, false);
    ClusterFigures here = new ClusterFigures("a", () -> 5_000);
    Sampler sampler = new Sampler(new MeterReadings(registry, () -> true), new Tables("a", hub, registered), here,
        channel, new EventStream(), () -> 5_000);
    try {
      sampler.prime();
      sampler.tick();
      sessions.set(6);
      sampler.tick();
    } finally {
      sampler.close();
      hub.close();
    }
    JsonObject mine = here.snapshot().getAsJsonObject("nodes").getAsJsonObject("a");
    assertThat(mine.getAsJsonArray("sessions").toString()).isEqualTo("[4,6]");
    assertThat(mine.getAsJsonArray("store").toString()).as("storage down").isEqualTo("[0,0]");
    assertThat(told).hasSize(2);

    assertThat(here.snapshot().getAsJsonObject("cluster").getAsJsonArray("sessions").toString())
        .as("two ticks in one second count once in the cluster's line").isEqualTo("[6]");

    ClusterFigures there = new ClusterFigures("b", () -> 5_000);
    told.forEach(there::heard);
    JsonObject heard = there.snapshot().getAsJsonObject("nodes").getAsJsonObject("a");
    assertThat(heard.getAsJsonArray("sessions").toString()).isEqualTo("[4,6]");
  }

  @Test
  void theClusterAddsCountsAndTakesTheWorstLatencyAndState() {
    double[] a = values(10);
    double[] b = values(5);
    a[Series.ACK_P99.ordinal()] = 3;
    b[Series.ACK_P99.ordinal()] = 8;
    a[Series.NATS.ordinal()] = 1;
    b[Series.NATS.ordinal()] = 0;
    b[Series.COMMIT_P50.ordinal()] = Double.NaN;
    Sample total = Sample.total(7, List.of(new Sample(7, "a", a), new Sample(7, "b", b)));
    assertThat(total.get(Series.CONNECTIONS)).isEqualTo(15);
    assertThat(total.get(Series.ACK_P99)).isEqualTo(8);
    assertThat(total.get(Series.NATS)).isZero();
    assertThat(total.get(Series.COMMIT_P50)).as("a missing figure is skipped").isEqualTo(10);
  }

  @Test
  void otherNodesAreHeardAndForgottenWhenSilent() {
    AtomicLong now = new AtomicLong(1_000_000);
    ClusterFigures figures = new ClusterFigures("a", now::get);
    figures.add(sample(1, "a", 3), new JsonObject());
    figures.heard(ClusterFigures.shared(sample(1, "b", 4), new JsonObject()));
    figures.heard(ClusterFigures.shared(sample(1, "a", 99), new JsonObject())); // our own echo
    figures.heard("{not json");
    JsonObject event = figures.event();
    assertThat(event.getAsJsonObject("nodes").keySet()).containsExactly("a", "b");
    assertThat(event.getAsJsonObject("cluster").get("connections").getAsLong()).isEqualTo(7);

    now.addAndGet(ClusterFigures.SILENT_MS + 1);
    figures.add(sample(2, "a", 3), new JsonObject());
    assertThat(figures.event().getAsJsonObject("nodes").keySet()).containsExactly("a");
  }

  private static Sample sample(long t, String node, double connections) {
    return new Sample(t, node, values(connections));
  }

  private static double[] values(double x) {
    double[] v = new double[Series.ALL.length];
    Arrays.fill(v, x);
    return v;
  }
}
