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
  private static final int RING = 1 << 20;

  private final BenchOptions o;
  private final Frames frames;
  private final long[] intended = new long[RING];
  private final Histogram latency = new Histogram(60_000_000L, 3);
  private final boolean openLoop;
  private List<WsConnection> conns;
  private long nextId;
  private long outstanding;
  private long completed;
  private long errors;
  private long measureStart;
  private long measureEnd;
  private long nextDue;

  private EchoScenario(BenchOptions o) {
    this.o = o;
    this.frames = new Frames(o.echoMethod(), o.echoParams(), o.room(), o.textSize());
    this.openLoop = o.rate() > 0;
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
      measureStart = start + (long) (o.warmupSeconds() * 1e9);
      measureEnd = measureStart + (long) (o.durationSeconds() * 1e9);
      nextDue = start;
      if (!openLoop) {
        for (WsConnection c : conns) {
          send(c, start);
        }
      }
      CpuWindow cpu = new CpuWindow(o.serverPid());
      loop.run(measureStart, this::tick, () -> false);
      cpu.begin();
      loop.run(measureEnd, this::tick, () -> false);
      cpu.end();
      loop.run(System.nanoTime() + (long) (o.drainSeconds() * 1e9), now -> Long.MAX_VALUE, () -> outstanding == 0);
      Result r = new Result("echo")
          .put("mode", openLoop ? "open" : "closed")
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
    if (!openLoop) {
      return Long.MAX_VALUE;
    }
    long interval = (long) (1e9 / o.rate());
    while (nextDue <= now && nextDue < measureEnd) {
      send(conns.get((int) (nextId % conns.size())), nextDue);
      nextDue += interval;
    }
    return nextDue < measureEnd ? nextDue : Long.MAX_VALUE;
  }

  private void send(WsConnection c, long intendedAt) {
    long id = nextId++;
    intended[(int) (id & (RING - 1))] = intendedAt;
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
    long t0 = intended[(int) (id & (RING - 1))];
    boolean error = Frames.indexOf(a, off, len, Frames.ERROR) >= 0;
    if (t0 >= measureStart && t0 < measureEnd) {
      if (error) {
        errors++;
      } else {
        completed++;
        latency.recordValue(Math.min(60_000_000L, Math.max(0, (now - t0) / 1000)));
      }
    }
    if (!openLoop && now < measureEnd) {
      send(c, now);
    }
  }
}
