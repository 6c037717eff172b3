package io.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Room fan-out: {@code members} connections join one room; the first {@code publishers} of them
 * send {@code rate} messages per second in total on a fixed schedule. Every member (the sender
 * included, as both Parley and the peers deliver to it) should receive every message. Each text
 * carries its intended send time, so end-to-end latency is measured from the schedule, and loss is
 * what was sent in the measured window times the members, minus what arrived by the end of the drain.
 *
 * <p>Across nodes ({@code --publish-url}): the {@code publishers} are connections of their own to
 * that URL (node A) and join the room there; the {@code members} on {@code --url} (node B) are the
 * receivers measured. {@code expected}, {@code delivered}, {@code lost}, {@code e2e_*} and the
 * server CPU per delivery then concern node B's members only; what the publishers receive on node
 * A (Parley delivers to the sender too) is counted apart, as {@code publisher_*}.
 */
public final class FanoutScenario {
  private static final long SEND_BASE = 1L << 40;

  /** Messages per second when {@code --rate} is not given. */
  private static final double DEFAULT_RATE = 10;

  /** Measured deliveries to one group of connections, and their end-to-end latency. */
  private static final class Deliveries {
    final Histogram e2e = new Histogram(60_000_000L, 3);
    long count;

    void reset() {
      count = 0;
      e2e.reset();
    }
  }

  private final BenchOptions o;
  private final Frames join;
  private final Frames publish;
  private final byte[] notification;
  private final Histogram ack = new Histogram(60_000_000L, 3);
  private final Deliveries toMembers = new Deliveries();
  /** Only with {@code --publish-url}: deliveries to the publishers on their own node. */
  private final Deliveries toPublishers = new Deliveries();
  private List<WsConnection> members;
  private List<WsConnection> publishers;
  private long joined;
  private long joinErrors;
  private long nextSend;
  private long sent;
  private long acked;
  private long sendErrors;
  /** Replaced for every measured window; until the first, nothing is measured. */
  private Schedule schedule = new Schedule(DEFAULT_RATE);

  private FanoutScenario(BenchOptions o) {
    this.o = o;
    this.join = new Frames(o.joinMethod(), o.joinParams(), o.room(), o.textSize());
    this.publish = new Frames(o.sendMethod(), o.sendParams(), o.room(), o.textSize());
    this.notification = Frames.ascii("\"method\":\"" + o.messageNotification() + "\"");
  }

  /** Runs the scenario at {@code --rate} and returns its figures; progress goes to {@code log}. */
  public static Result run(BenchOptions o, PrintStream log) throws IOException {
    return new FanoutScenario(o).execute(List.of(o.rate()), log).get(0);
  }

  /**
   * A rate sweep: the members join once, then one measured window per rate of {@code --rates}
   * (warm-up, duration and drain each), one result per rate, in order.
   */
  public static List<Result> sweep(BenchOptions o, PrintStream log) throws IOException {
    return new FanoutScenario(o).execute(o.rates(), log);
  }

  private boolean acrossNodes() {
    return o.publishUrl() != null;
  }

  private List<Result> execute(List<Double> rates, PrintStream log) throws IOException {
    try (EventLoop loop = new EventLoop()) {
      long t = System.nanoTime();
      members = loop.connect(o.url(), o.members(), o.concurrency(),
          (c, a, off, len) -> onMessage(toMembers, a, off, len));
      List<WsConnection> joining = new ArrayList<>(members);
      if (acrossNodes()) {
        publishers = loop.connect(o.publishUrl(), o.publishers(), o.concurrency(),
            (c, a, off, len) -> onMessage(toPublishers, a, off, len));
        joining.addAll(publishers);
      } else {
        publishers = members.subList(0, o.publishers());
      }
      for (int i = 0; i < joining.size(); i++) {
        int len = join.build(i, 0);
        joining.get(i).sendText(join.scratch, len);
      }
      loop.run(System.nanoTime() + 120_000_000_000L, now -> Long.MAX_VALUE, () -> joined + joinErrors == joining.size());
      if (acrossNodes()) {
        log.printf("fanout: %d members on %s and %d publishers on %s: %d joined %s in %.1f s (%d join errors)%n",
            members.size(), o.url(), publishers.size(), o.publishUrl(), joined, o.room(),
            (System.nanoTime() - t) / 1e9, joinErrors);
      } else {
        log.printf("fanout: %d members joined %s in %.1f s (%d join errors)%n",
            joined, o.room(), (System.nanoTime() - t) / 1e9, joinErrors);
      }
      List<Result> results = new ArrayList<>();
      for (double r : rates) {
        results.add(measure(loop, r));
        log.printf("fanout: %.0f msg/s done%n", r);
      }
      return results;
    }
  }

  /** One measured window at {@code messagesPerSecond}; counters start from zero. */
  private Result measure(EventLoop loop, double messagesPerSecond) throws IOException {
    schedule = new Schedule(messagesPerSecond > 0 ? messagesPerSecond : DEFAULT_RATE);
    sent = 0;
    acked = 0;
    sendErrors = 0;
    toMembers.reset();
    toPublishers.reset();
    ack.reset();
    long start = System.nanoTime();
    schedule.start(start, o);
    CpuWindow cpu = new CpuWindow(o.serverPid());
    CpuWindow publishCpu = new CpuWindow(o.publishServerPid());
    loop.run(schedule.measureStart(), this::tick, () -> false);
    cpu.begin();
    publishCpu.begin();
    loop.run(schedule.measureEnd(), this::tick, () -> false);
    cpu.end();
    publishCpu.end();
    long expected = sent * members.size();
    long publisherExpected = acrossNodes() ? sent * publishers.size() : 0;
    loop.run(System.nanoTime() + (long) (o.drainSeconds() * 1e9), now -> Long.MAX_VALUE,
        () -> toMembers.count >= expected && toPublishers.count >= publisherExpected && acked + sendErrors >= sent);
    long delivered = toMembers.count;
    Result r = new Result("fanout").put("url", o.url().toString());
    if (acrossNodes()) {
      r.put("publish_url", o.publishUrl().toString());
    }
    r.put("members", members.size())
        .put("publishers", o.publishers())
        .put("rate", messagesPerSecond)
        .put("duration_s", o.durationSeconds())
        .put("join_errors", joinErrors)
        .put("sent", sent)
        .put("acked", acked)
        .put("send_errors", sendErrors)
        .put("expected", expected)
        .put("delivered", delivered)
        .put("lost", Math.max(0, expected - delivered))
        .put("deliveries_per_s", Result.round(delivered / o.durationSeconds(), 1))
        .latency("e2e", toMembers.e2e)
        .latency("ack", ack);
    if (acrossNodes()) {
      r.put("publisher_expected", publisherExpected)
          .put("publisher_delivered", toPublishers.count)
          .put("publisher_lost", Math.max(0, publisherExpected - toPublishers.count))
          .latency("publisher_e2e", toPublishers.e2e);
    }
    r.put("closed_conns", loop.closedCount());
    cpu.report(r, delivered, "delivery");
    if (acrossNodes() && o.publishServerPid() > 0) {
      reportBothNodes(r, cpu.serverNanos(), publishCpu.serverNanos(), delivered + toPublishers.count);
    }
    return r;
  }

  /**
   * Adds the publishing node's CPU and RSS, and both nodes' CPU over every measured delivery (node
   * B's members and node A's publishers): the figure to set beside one node's CPU per delivery.
   */
  private void reportBothNodes(Result r, long receivingNanos, long publishingNanos, long deliveries) {
    r.put("publish_server_cpu_s", publishingNanos < 0 ? -1 : Result.round(publishingNanos / 1e9, 2));
    r.put("publish_server_rss_mib", Result.round(ProcStats.rssKib(o.publishServerPid()) / 1024.0, 1));
    r.cpuPerOp("nodes_cpu_us_per_delivery",
        receivingNanos < 0 || publishingNanos < 0 ? -1 : receivingNanos + publishingNanos, deliveries);
  }

  private long tick(long now) {
    return schedule.tick(now, this::publish);
  }

  private void publish(long intendedAt) {
    long k = nextSend++;
    schedule.sent(k, intendedAt);
    if (intendedAt >= schedule.measureStart()) {
      sent++;
    }
    int len = publish.build(SEND_BASE + k, intendedAt);
    publishers.get((int) (k % o.publishers())).sendText(publish.scratch, len);
  }

  private void onMessage(Deliveries to, byte[] a, int off, int len) {
    if (Frames.indexOf(a, off, len, notification) >= 0) {
      long stamp = Frames.numberAfter(a, off, len, Frames.MARKER);
      if (schedule.measured(stamp)) {
        to.count++;
        to.e2e.recordValue(Math.min(60_000_000L, Math.max(0, (System.nanoTime() - stamp) / 1000)));
      }
      return;
    }
    long id = Frames.numberAfter(a, off, len, Frames.ID);
    if (id < 0) {
      return;
    }
    boolean error = Frames.indexOf(a, off, len, Frames.ERROR) >= 0;
    if (id < SEND_BASE) {
      if (error) {
        joinErrors++;
      } else {
        joined++;
      }
      return;
    }
    long t0 = schedule.intendedAt(id - SEND_BASE);
    if (schedule.measured(t0)) {
      if (error) {
        sendErrors++;
      } else {
        acked++;
        ack.recordValue(Math.min(60_000_000L, Math.max(0, (System.nanoTime() - t0) / 1000)));
      }
    }
  }
}
