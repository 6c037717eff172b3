package io.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Echo round trips over {@code conns} connections. Closed loop (no {@code --rate}): each connection
 * keeps one call in flight and sends the next when the answer arrives. Open loop ({@code --rate R}):
 * R calls per second in total, round-robin over the connections, on a fixed schedule whatever the
 * answers do; latency counts from the intended send time, so a stalled server cannot hide its
 * stall (no coordinated omission). Only calls whose send time falls after the warm-up are counted.
 */
public final class EchoScenario {

  private final BenchOptions o;
  private final Frames frames;
  private final Histogram latency = new Histogram(60_000_000L, 3);
  private final Schedule schedule;
  private List<WsConnection> conns;
  private long nextId;
  private long outstanding;
  private long completed;
  private long errors;

  private EchoScenario(BenchOptions o) {
    this.o = o;
    this.frames = new Frames(o.echoMethod(), o.echoParams(), o.room(), o.textSize());
    this.schedule = new Schedule(o.rate());
  }

  /** Runs the scenario and returns its figures; progress goes to {@code log}. */
  public static Result run(BenchOptions o, PrintStream log) throws IOException {
    return new EchoScenario(o).execute(log);
  }

  private Result execute(PrintStream log) throws IOException {
    try (EventLoop loop = new EventLoop()) {
      conns = loop.connect(o.url(), o.conns(), o.concurrency(), this::onMessage);
      log.printf("echo: %d connections open to %s%n", conns.size(), o.url());
      long start = System.nanoTime();
      schedule.start(start, o);
      if (!schedule.openLoop()) {
        for (WsConnection c : conns) {
          send(c, start);
        }
      }
      CpuWindow cpu = new CpuWindow(o.serverPid());
      loop.run(schedule.measureStart(), this::tick, () -> false);
      cpu.begin();
      loop.run(schedule.measureEnd(), this::tick, () -> false);
      cpu.end();
      loop.run(System.nanoTime() + (long) (o.drainSeconds() * 1e9), now -> Long.MAX_VALUE, () -> outstanding == 0);
      Result r = new Result("echo")
          .put("mode", schedule.openLoop() ? "open" : "closed")
          .put("url", o.url().toString())
          .put("conns", o.conns())
          .put("target_rate", o.rate())
          .put("duration_s", o.durationSeconds())
          .put("completed", completed)
          .put("rpc_per_s", Result.round(completed / o.durationSeconds(), 1))
          .latency("latency", latency)
          .put("errors", errors)
          .put("unanswered", outstanding)
          .put("closed_conns", loop.closedCount());
      cpu.report(r, completed, "op");
      return r;
    }
  }

  private long tick(long now) {
    return schedule.tick(now, at -> send(conns.get((int) (nextId % conns.size())), at));
  }

  private void send(WsConnection c, long intendedAt) {
    long id = nextId++;
    schedule.sent(id, intendedAt);
    outstanding++;
    int len = frames.build(id, intendedAt);
    c.sendText(frames.scratch, len);
  }

  private void onMessage(WsConnection c, byte[] a, int off, int len) {
    long id = Frames.numberAfter(a, off, len, Frames.ID);
    if (id < 0) {
      return;
    }
    long now = System.nanoTime();
    outstanding--;
    long t0 = schedule.intendedAt(id);
    boolean error = Frames.indexOf(a, off, len, Frames.ERROR) >= 0;
    if (schedule.measured(t0)) {
      if (error) {
        errors++;
      } else {
        completed++;
        latency.recordValue(Math.min(60_000_000L, Math.max(0, (now - t0) / 1000)));
      }
    }
    if (!schedule.openLoop() && now < schedule.measureEnd()) {
      send(c, now);
    }
  }
}
