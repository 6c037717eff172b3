package io.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * Connection scale: opens {@code --conns} idle connections with {@code --concurrency} handshakes in
 * flight and holds them {@code --hold} seconds. Figures: setup rate over the whole open phase,
 * handshake latency (connect start to 101), and with {@code --server-pid} the server's RSS before
 * and after, so memory per idle connection = (after - before) / open connections. The figures
 * mean what the peers' {@code LoadGen connect} reports, so they compare with its table.
 *
 * <p>"Before" is taken after a warm-up batch of {@code --warmup-conns} connections was opened and
 * closed again (a JVM server has then compiled its upgrade path and grown its pools); "after" one
 * second after the last 101, like the peers' tool. With {@code --join} every connection then joins
 * its room ({@link BenchOptions#roomOf}), which also gives memory per room member; while the
 * connections are held, another bench process can run {@code fanout} into those rooms.
 */
public final class ConnectScenario {
  private static final long SETTLE_NANOS = 1_000_000_000L;
  private static final long PHASE_TIMEOUT_NANOS = 180_000_000_000L;

  private final BenchOptions o;
  private Frames[] joinFrames;
  private List<WsConnection> conns;
  private int nextJoin;
  private long joined;
  private long joinErrors;
  private long notifications;

  private ConnectScenario(BenchOptions o) {
    this.o = o;
  }

  /** Runs the scenario and returns its figures; progress goes to {@code log}. */
  public static Result run(BenchOptions o, PrintStream log) throws IOException {
    return new ConnectScenario(o).execute(log);
  }

  private Result execute(PrintStream log) throws IOException {
    try (EventLoop loop = new EventLoop()) {
      if (o.warmupConns() > 0) {
        Opening.Report w = loop.open(o.url(), o.warmupConns(), o.concurrency(), this::onMessage, PHASE_TIMEOUT_NANOS);
        loop.closeAll(w.opened());
        idle(loop, SETTLE_NANOS);
        log.printf("connect: warm-up %d of %d opened and closed (%.0f/s)%n",
            w.opened().size(), o.warmupConns(), w.opened().size() / w.seconds());
      }
      long rssBefore = ProcStats.rssKib(o.serverPid());
      CpuWindow cpu = new CpuWindow(o.serverPid());
      cpu.begin();
      Opening.Report r = loop.open(o.url(), o.conns(), o.concurrency(), this::onMessage, PHASE_TIMEOUT_NANOS);
      cpu.end();
      conns = r.opened();
      if (conns.isEmpty()) {
        throw new IOException("no connection to " + o.url() + " opened; first error: " + r.firstError());
      }
      log.printf("connect: %d of %d open in %.2f s (%d failed)%n", conns.size(), o.conns(), r.seconds(), r.failures());
      idle(loop, SETTLE_NANOS);
      long rssAfter = ProcStats.rssKib(o.serverPid());
      Result result = new Result("connect")
          .put("url", o.url().toString())
          .put("conns_requested", o.conns())
          .put("conns_open", conns.size())
          .put("failures", r.failures());
      if (r.firstError() != null) {
        result.put("first_error", r.firstError());
      }
      result.put("concurrency", o.concurrency())
          .put("warmup_conns", o.warmupConns())
          .put("setup_seconds", Result.round(r.seconds(), 3))
          .put("setup_per_s", Result.round(conns.size() / r.seconds(), 1))
          .latency("handshake", r.handshakeMicros());
      if (rssBefore >= 0 && rssAfter >= 0) {
        result.put("server_rss_before_kib", rssBefore).put("server_rss_after_kib", rssAfter);
        if (!conns.isEmpty()) {
          result.put("server_rss_per_conn_kib", Result.round((rssAfter - rssBefore) / (double) conns.size(), 2));
        }
      }
      cpu.report(result, conns.size(), "conn");
      if (o.join()) {
        joinAll(loop, log, result, rssAfter);
      }
      log.printf("connect: holding %d connections for %.1f s%n", conns.size(), o.holdSeconds());
      idle(loop, (long) (o.holdSeconds() * 1e9));
      long alive = conns.stream().filter(WsConnection::isOpen).count();
      result.put("hold_s", o.holdSeconds())
          .put("alive_after_hold", alive)
          .put("notifications_received", notifications);
      long rssHeld = ProcStats.rssKib(o.serverPid());
      if (rssHeld >= 0) {
        result.put("server_rss_after_hold_kib", rssHeld);
      }
      return result;
    }
  }

  /** Joins every open connection to its room, {@code --concurrency} joins in flight. */
  private void joinAll(EventLoop loop, PrintStream log, Result result, long rssBeforeJoin) throws IOException {
    joinFrames = new Frames[Math.min(o.rooms(), conns.size())];
    for (int i = 0; i < joinFrames.length; i++) {
      joinFrames[i] = new Frames(o.joinMethod(), o.joinParams(), o.roomOf(i), o.textSize());
    }
    long start = System.nanoTime();
    loop.run(start + PHASE_TIMEOUT_NANOS, this::sendJoins, () -> joined + joinErrors >= conns.size());
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf("connect: %d joined %d room(s) in %.2f s (%d errors)%n", joined, joinFrames.length, seconds, joinErrors);
    idle(loop, SETTLE_NANOS);
    long rssAfterJoin = ProcStats.rssKib(o.serverPid());
    result.put("rooms", joinFrames.length)
        .put("joined", joined)
        .put("join_errors", joinErrors)
        .put("join_seconds", Result.round(seconds, 3));
    if (rssBeforeJoin >= 0 && rssAfterJoin >= 0) {
      result.put("server_rss_after_join_kib", rssAfterJoin);
      if (joined > 0) {
        result.put("server_rss_per_member_kib", Result.round((rssAfterJoin - rssBeforeJoin) / (double) joined, 2));
      }
    }
  }

  private long sendJoins(long now) {
    while (nextJoin < conns.size() && nextJoin - (joined + joinErrors) < o.concurrency()) {
      int i = nextJoin++;
      Frames f = joinFrames[i % joinFrames.length];
      int len = f.build(i, 0);
      conns.get(i).sendText(f.scratch, len);
    }
    return Long.MAX_VALUE;
  }

  /** Keeps the loop serving (pings, notifications) for {@code nanos} without sending anything. */
  private static void idle(EventLoop loop, long nanos) throws IOException {
    loop.run(System.nanoTime() + nanos, now -> Long.MAX_VALUE, () -> false);
  }

  private void onMessage(WsConnection c, byte[] a, int off, int len) {
    long id = Frames.numberAfter(a, off, len, Frames.ID);
    if (id < 0) {
      notifications++;
      return;
    }
    if (Frames.indexOf(a, off, len, Frames.ERROR) >= 0) {
      joinErrors++;
    } else {
      joined++;
    }
  }
}
