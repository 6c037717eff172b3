package io.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Stored-message throughput: {@code --conns} senders spread over {@code --rooms} rooms (connection
 * i joins {@link BenchOptions#roomOf room i}) send {@code chat.send} to their room. Closed loop
 * (no {@code --rate}): each connection keeps {@code --inflight} sends outstanding and sends the
 * next when an answer arrives. Open loop ({@code --rate R}): R sends/s in total, round-robin over
 * the connections, latency from the intended send time (no coordinated omission).
 *
 * <p>Parley answers {@code chat.send} only once the message is durably stored, so acknowledged
 * sends per second is stored messages per second, and ack latency includes the commit. Errors are
 * counted by JSON-RPC code (e.g. -32003 rate limited, -32005 storage unavailable).
 */
public final class PersistScenario {
  private static final long SEND_BASE = 1L << 40;
  private static final long JOIN_TIMEOUT_NANOS = 120_000_000_000L;
  private static final long NO_CODE = Long.MIN_VALUE;

  private final BenchOptions o;
  private final Frames[] join;
  private final Frames[] send;
  private final byte[] notification;
  private final Histogram ack = new Histogram(60_000_000L, 3);
  private final Map<Long, Long> errorCodes = new TreeMap<>();
  private final Schedule schedule;
  private List<WsConnection> conns;
  private long joined;
  private long joinErrors;
  private long nextSend;
  private long outstanding;
  private long sent;
  private long acked;
  private long sendErrors;
  private long delivered;

  private PersistScenario(BenchOptions o) {
    this.o = o;
    int rooms = Math.min(o.rooms(), o.conns());
    this.join = new Frames[rooms];
    this.send = new Frames[rooms];
    for (int i = 0; i < rooms; i++) {
      join[i] = new Frames(o.joinMethod(), o.joinParams(), o.roomOf(i), o.textSize());
      send[i] = new Frames(o.sendMethod(), o.sendParams(), o.roomOf(i), o.textSize());
    }
    this.notification = Frames.ascii("\"method\":\"" + o.messageNotification() + "\"");
    this.schedule = new Schedule(o.rate());
  }

  /** Runs the scenario and returns its figures; progress goes to {@code log}. */
  public static Result run(BenchOptions o, PrintStream log) throws IOException {
    return new PersistScenario(o).execute(log);
  }

  private Result execute(PrintStream log) throws IOException {
    try (EventLoop loop = new EventLoop()) {
      conns = loop.connect(o.url(), o.conns(), o.concurrency(), this::onMessage);
      for (WsConnection c : conns) {
        Frames f = join[c.index % join.length];
        c.sendText(f.scratch, f.build(c.index, 0));
      }
      loop.run(System.nanoTime() + JOIN_TIMEOUT_NANOS, now -> Long.MAX_VALUE, () -> joined + joinErrors == conns.size());
      log.printf("persist: %d connections joined %d room(s) (%d join errors)%n", joined, join.length, joinErrors);
      long start = System.nanoTime();
      schedule.start(start, o);
      if (!schedule.openLoop()) {
        for (WsConnection c : conns) {
          for (int k = 0; k < o.inflight(); k++) {
            send(c, start);
          }
        }
      }
      CpuWindow cpu = new CpuWindow(o.serverPid());
      loop.run(schedule.measureStart(), this::tick, () -> false);
      cpu.begin();
      loop.run(schedule.measureEnd(), this::tick, () -> false);
      cpu.end();
      loop.run(System.nanoTime() + (long) (o.drainSeconds() * 1e9), now -> Long.MAX_VALUE, () -> outstanding == 0);
      Result r = new Result("persist")
          .put("mode", schedule.openLoop() ? "open" : "closed")
          .put("url", o.url().toString())
          .put("conns", conns.size())
          .put("rooms", join.length)
          .put("inflight", schedule.openLoop() ? 0 : o.inflight())
          .put("target_rate", o.rate())
          .put("duration_s", o.durationSeconds())
          .put("join_errors", joinErrors)
          .put("sent", sent)
          .put("acked", acked)
          .put("acked_per_s", Result.round(acked / o.durationSeconds(), 1))
          .latency("ack", ack)
          .put("send_errors", sendErrors)
          .put("error_codes", codes())
          .put("unanswered", outstanding)
          .put("notifications", delivered)
          .put("closed_conns", loop.closedCount());
      cpu.report(r, acked, "message");
      return r;
    }
  }

  private long tick(long now) {
    return schedule.tick(now, at -> send(conns.get((int) (nextSend % conns.size())), at));
  }

  private void send(WsConnection c, long intendedAt) {
    long k = nextSend++;
    schedule.sent(k, intendedAt);
    if (schedule.measured(intendedAt)) {
      sent++;
    }
    outstanding++;
    Frames f = send[c.index % send.length];
    c.sendText(f.scratch, f.build(SEND_BASE + k, intendedAt));
  }

  private void onMessage(WsConnection c, byte[] a, int off, int len) {
    if (Frames.indexOf(a, off, len, notification) >= 0) {
      delivered++;
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
    long now = System.nanoTime();
    outstanding--;
    long t0 = schedule.intendedAt(id - SEND_BASE);
    if (error) {
      errorCodes.merge(Frames.signedNumberAfter(a, off, len, Frames.CODE, NO_CODE), 1L, Long::sum);
    }
    if (schedule.measured(t0)) {
      if (error) {
        sendErrors++;
      } else {
        acked++;
        ack.recordValue(Math.min(60_000_000L, Math.max(0, (now - t0) / 1000)));
      }
    }
    if (!schedule.openLoop() && now < schedule.measureEnd()) {
      send(c, now);
    }
  }

  /** Errors of the whole run by code, e.g. {@code -32003=12 -32005=1}, or {@code none}. */
  private String codes() {
    if (errorCodes.isEmpty()) {
      return "none";
    }
    StringJoiner j = new StringJoiner(" ");
    errorCodes.forEach((code, n) -> j.add((code == NO_CODE ? "?" : code.toString()) + "=" + n));
    return j.toString();
  }
}
