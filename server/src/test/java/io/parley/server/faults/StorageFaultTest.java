package io.parley.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.PrivatePostgres;
import io.parley.server.testing.PrivatePostgres.StopMode;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL stopped and started under traffic, on a private cluster (never the shared one):
 * WebSocket and HTTP senders write steadily into three rooms while subscribers listen, and the
 * database goes down twice ({@code pg_ctl stop -m fast}, then {@code -m immediate}) and comes back.
 *
 * <p>What must hold: while it is down every send is answered {@code -32005} (HTTP 503) within
 * 2 s and nothing is acknowledged; {@code /ready} turns 503 within a second and answers fast; when
 * it is back the server recovers by itself. Afterwards, from the database: every acknowledged
 * message stored exactly once with the seq it was acknowledged with, each room's seq 1..N
 * without a gap; and every subscriber saw each room in seq order, missing at most messages whose
 * commit outcome was unknown to the server (answered -32005, stored anyway, acknowledged later to
 * the sender's retry as a duplicate), which a client fills from history like any gap.
 */
@Timeout(120)
class StorageFaultTest {
  private static final List<String> ROOMS = List.of("fa", "fb", "fc");
  private static final String SCHEMA = "parley";
  private static final long ANSWER_BOUND_MS = 2_000;
  private static final long READY_FLIP_BOUND_MS = 1_000;
  private static final long READY_CALL_BOUND_MS = 1_000;
  private static final long RECOVERY_BOUND_MS = 10_000;
  /** Client-side pacing of each sender, so the test stores thousands of messages, not millions. */
  private static final long SEND_PAUSE_MS = 10;
  private static final long RETRY_PAUSE_MS = 20;
  private static final int HTTP_SENDERS = 2;

  private enum Kind { ACK, REFUSED }

  /** One send and its answer; times in nanos of {@link System#nanoTime()}. */
  private record Attempt(String sender, String room, String clientId, long start, long end, Kind kind, long seq) {
    long millis() {
      return TimeUnit.NANOSECONDS.toMillis(end - start);
    }
  }

  private record Probe(long start, long end, int status) {}

  private PrivatePostgres pg;
  private TestServer server;
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private volatile boolean stopping;

  @BeforeEach
  void start() {
    pg = PrivatePostgres.start();
    server = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.withDatabase(pg.jdbcUrl(), PrivatePostgres.USER, "", SCHEMA));
  }

  @AfterEach
  void stop() throws Exception {
    stopping = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(15));
    }
    for (AutoCloseable c : clients) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void postgresStoppedAndStartedUnderTraffic() throws Exception {
    List<WsClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WsClient s = client("sub" + i);
      ROOMS.forEach(room -> s.result("room.join", "{\"room\":\"" + room + "\"}"));
      subscribers.add(s);
    }
    for (int i = 0; i < ROOMS.size(); i++) {
      startWsSender("ws" + i, ROOMS.get(i));
    }
    for (int i = 0; i < HTTP_SENDERS; i++) {
      startHttpSender("http" + i);
    }
    startReadyProbe();
    long t0 = System.nanoTime();
    awaitCondition("first acknowledgements", Duration.ofSeconds(15), () -> acksAfter(t0) >= 100);

    for (StopMode mode : List.of(StopMode.FAST, StopMode.IMMEDIATE)) {
      cycle(mode);
    }
    stopping = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(15));
      assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
    }
    assertThat(failures).as("unexpected answers or errors in the traffic threads").isEmpty();

    long maxAnswer = attempts.stream().mapToLong(Attempt::millis).max().orElse(0);
    long maxRefusal = attempts.stream().filter(a -> a.kind == Kind.REFUSED).mapToLong(Attempt::millis).max().orElse(0);
    long refusals = attempts.stream().filter(a -> a.kind == Kind.REFUSED).count();
    long maxReady = probes.stream().mapToLong(p -> TimeUnit.NANOSECONDS.toMillis(p.end - p.start)).max().orElse(0);
    System.out.printf("FAULTS: %d sends, %d refused (-32005/503); max answer %d ms, max -32005 answer %d ms;"
        + " max /ready call %d ms%n", attempts.size(), refusals, maxAnswer, maxRefusal, maxReady);
    assertThat(refusals).as("sends refused while the database was down").isPositive();
    assertThat(maxAnswer).as("slowest answer to a send (ms)").isLessThan(ANSWER_BOUND_MS);
    assertThat(maxReady).as("slowest /ready (ms)").isLessThan(READY_CALL_BOUND_MS);

    Map<String, Long> markers = sendMarkers();
    Map<String, List<Long>> stored = verifyDatabase();
    verifySubscribers(subscribers, markers, stored);
  }

  /** One down/up cycle: stop, check the down behaviour, start, check the recovery. */
  private void cycle(StopMode mode) {
    long stopBegin = System.nanoTime();
    pg.stopServer(mode);
    long stopped = System.nanoTime();
    awaitCondition("refusals and /ready 503 after the stop (" + mode + ")", Duration.ofSeconds(10),
        () -> refusalsAfter(stopped) >= 250 && firstProbeAfter(stopped, 503) != null);
    long startBegin = System.nanoTime();
    pg.startServer();
    long started = System.nanoTime();
    awaitCondition("acknowledgements and /ready 200 after the start (" + mode + ")",
        Duration.ofMillis(RECOVERY_BOUND_MS), () -> acksAfter(started) >= 50 && firstProbeAfter(started, 200) != null);

    Probe flip = firstProbeAfter(stopped, 503);
    long flipMs = TimeUnit.NANOSECONDS.toMillis(flip.end - stopped);
    long readyBackMs = TimeUnit.NANOSECONDS.toMillis(firstProbeAfter(started, 200).end - started);
    long firstAckMs = TimeUnit.NANOSECONDS.toMillis(attempts.stream().filter(a -> a.kind == Kind.ACK && a.start >= started)
        .mapToLong(a -> a.end).min().orElseThrow() - started);
    long maxDownAnswer = attempts.stream().filter(a -> a.start >= stopped && a.start < startBegin)
        .mapToLong(Attempt::millis).max().orElse(0);
    List<Attempt> ackedWhileDown = attempts.stream()
        .filter(a -> a.kind == Kind.ACK && a.start >= stopped && a.end < startBegin).toList();
    System.out.printf("FAULTS cycle %s: pg_ctl stop %d ms, /ready 503 %d ms after the stop, max answer while down"
        + " %d ms, pg_ctl start %d ms, /ready 200 %d ms and first ack %d ms after the start%n", mode,
        TimeUnit.NANOSECONDS.toMillis(stopped - stopBegin), flipMs, maxDownAnswer,
        TimeUnit.NANOSECONDS.toMillis(started - startBegin), readyBackMs, firstAckMs);
    assertThat(ackedWhileDown).as("sends acknowledged while the database was down").isEmpty();
    assertThat(flipMs).as("/ready 503 after the stop (ms)").isLessThan(READY_FLIP_BOUND_MS);
    assertThat(maxDownAnswer).as("slowest answer while down (ms)").isLessThan(ANSWER_BOUND_MS);
  }

  // ---- traffic --------------------------------------------------------------------------------

  private WsClient client(String name) {
    WsClient c = server.connect();
    clients.add(c);
    c.result("session.hello", "{\"name\":\"" + name + "\"}");
    return c;
  }

  private void startWsSender(String name, String room) {
    WsClient c = client(name);
    c.result("room.join", "{\"room\":\"" + room + "\"}");
    startSender(name, n -> room, (clientId, r) -> {
      JsonObject reply = c.call("chat.send", "{\"room\":\"" + r + "\",\"text\":\"m " + clientId
          + "\",\"clientId\":\"" + clientId + "\"}");
      if (reply.has("result")) {
        return reply.getAsJsonObject("result").get("seq").getAsLong();
      }
      int code = reply.getAsJsonObject("error").get("code").getAsInt();
      if (code != -32005) {
        throw new AssertionError("chat.send answered " + reply);
      }
      return -1L;
    });
  }

  private void startHttpSender(String name) {
    startSender(name, n -> ROOMS.get((int) (n % ROOMS.size())), (clientId, r) -> {
      HttpResponse<String> response = server.post("/api/rooms/" + r + "/messages",
          "{\"text\":\"m " + clientId + "\",\"from\":\"" + name + "\",\"clientId\":\"" + clientId + "\"}");
      if (response.statusCode() == 201) {
        return JsonParser.parseString(response.body()).getAsJsonObject().get("seq").getAsLong();
      }
      if (response.statusCode() != 503) {
        throw new AssertionError("POST answered " + response.statusCode() + " " + response.body());
      }
      return -1L;
    });
  }

  private interface RoomOf {
    String room(long n);
  }

  /** Sends clientId → seq, or -1 when refused as unavailable; anything else throws. */
  private interface SendOnce {
    long send(String clientId, String room) throws Exception;
  }

  /**
   * A sender sends one message after the other; a refused one is sent again with the same
   * clientId (as a client must), also after the test said stop, until it is acknowledged.
   */
  private void startSender(String name, RoomOf roomOf, SendOnce sendOnce) {
    Thread t = new Thread(() -> {
      long n = 0;
      String pending = null;
      String pendingRoom = null;
      long giveUp = Long.MAX_VALUE;
      try {
        while (pending != null || !stopping) {
          if (pending == null) {
            n++;
            pending = name + "-" + n;
            pendingRoom = roomOf.room(n);
          }
          if (stopping && giveUp == Long.MAX_VALUE) {
            giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          }
          if (System.nanoTime() > giveUp) {
            throw new AssertionError(name + ": " + pending + " still refused 10 s after the traffic stopped");
          }
          long start = System.nanoTime();
          long seq = sendOnce.send(pending, pendingRoom);
          long end = System.nanoTime();
          attempts.add(new Attempt(name, pendingRoom, pending, start, end, seq < 0 ? Kind.REFUSED : Kind.ACK, seq));
          if (seq >= 0) {
            pending = null;
          }
          pause(seq < 0 ? RETRY_PAUSE_MS : SEND_PAUSE_MS);
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }, "sender-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void startReadyProbe() {
    Thread t = new Thread(() -> {
      try {
        while (!stopping) {
          long start = System.nanoTime();
          int status = server.get("/ready").statusCode();
          probes.add(new Probe(start, System.nanoTime(), status));
          pause(RETRY_PAUSE_MS);
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }, "ready-probe");
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Pacing of the traffic threads (how often they send), not a synchronisation. */
  private static void pause(long ms) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private long acksAfter(long t) {
    return attempts.stream().filter(a -> a.kind == Kind.ACK && a.start >= t).count();
  }

  private long refusalsAfter(long t) {
    return attempts.stream().filter(a -> a.kind == Kind.REFUSED && a.start >= t).count();
  }

  private Probe firstProbeAfter(long t, int status) {
    return probes.stream().filter(p -> p.start >= t && p.status == status).findFirst().orElse(null);
  }

  private void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(failures).as("traffic failures while waiting for " + what).isEmpty();
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + timeout);
      }
      pause(10);
    }
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** A last message per room after the traffic: once a subscriber has it, it has all before it. */
  private Map<String, Long> sendMarkers() {
    WsClient marker = client("marker");
    Map<String, Long> seqs = new HashMap<>();
    for (String room : ROOMS) {
      marker.result("room.join", "{\"room\":\"" + room + "\"}");
      long start = System.nanoTime();
      JsonObject m = marker.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"end\",\"clientId\":\"end-"
          + room + "\"}");
      long seq = m.get("seq").getAsLong();
      attempts.add(new Attempt("marker", room, "end-" + room, start, System.nanoTime(), Kind.ACK, seq));
      seqs.put(room, seq);
    }
    return seqs;
  }

  /** Checks the stored rows against the acknowledgements; returns each room's seqs in order. */
  private Map<String, List<Long>> verifyDatabase() throws SQLException {
    Map<String, List<Long>> seqs = new HashMap<>();
    Map<String, Long> seqOfMessage = new HashMap<>(); // "sender/clientId" -> seq
    Map<String, Integer> copies = new HashMap<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT room, seq, sender, client_id FROM " + SCHEMA + ".messages ORDER BY room, seq")) {
      while (rs.next()) {
        String key = rs.getString(3) + "/" + rs.getString(4);
        seqs.computeIfAbsent(rs.getString(1), r -> new ArrayList<>()).add(rs.getLong(2));
        seqOfMessage.put(key, rs.getLong(2));
        copies.merge(key, 1, Integer::sum);
      }
    }
    assertThat(copies.values()).as("copies of each message").allMatch(n -> n == 1);
    for (String room : ROOMS) {
      List<Long> room1toN = seqs.getOrDefault(room, List.of());
      for (int i = 0; i < room1toN.size(); i++) {
        assertThat(room1toN.get(i)).as("seq #%d of room %s", i + 1, room).isEqualTo(i + 1L);
      }
    }
    Set<String> acked = new HashSet<>();
    for (Attempt a : attempts) {
      if (a.kind == Kind.ACK) {
        String key = a.sender + "/" + a.clientId;
        assertThat(seqOfMessage.get(key)).as("stored seq of acknowledged %s", key).isEqualTo(a.seq);
        acked.add(key);
      }
    }
    assertThat(acked).as("every stored message was acknowledged in the end (senders retry)")
        .containsExactlyInAnyOrderElementsOf(seqOfMessage.keySet());
    System.out.printf("FAULTS database: %s messages per room, all acknowledged, each once, seq gap-free%n",
        ROOMS.stream().map(r -> r + "=" + seqs.getOrDefault(r, List.of()).size()).toList());
    return seqs;
  }

  private void verifySubscribers(List<WsClient> subscribers, Map<String, Long> markers,
      Map<String, List<Long>> stored) {
    Set<String> unknownOutcome = unknownOutcomeMessages();
    Map<String, Map<Long, String>> messageAt = new HashMap<>();
    for (Attempt a : attempts) {
      if (a.kind == Kind.ACK) {
        messageAt.computeIfAbsent(a.room, r -> new HashMap<>()).put(a.seq, a.sender + "/" + a.clientId);
      }
    }
    int missedTotal = 0;
    for (WsClient s : subscribers) {
      Map<String, List<Long>> received = new HashMap<>();
      for (String room : ROOMS) {
        long last = markers.get(room);
        s.await(o -> o.has("method") && "chat.message".equals(o.get("method").getAsString())
            && room.equals(o.getAsJsonObject("params").get("room").getAsString())
            && o.getAsJsonObject("params").get("seq").getAsLong() == last, Duration.ofSeconds(10));
      }
      while (s.hasPending("chat.message")) {
        JsonObject m = s.awaitNotification("chat.message");
        received.computeIfAbsent(m.get("room").getAsString(), r -> new ArrayList<>()).add(m.get("seq").getAsLong());
      }
      for (String room : ROOMS) {
        List<Long> seqs = received.computeIfAbsent(room, r -> new ArrayList<>());
        seqs.add(markers.get(room));
        for (int i = 1; i < seqs.size(); i++) {
          assertThat(seqs.get(i)).as("room %s: notification after seq %d", room, seqs.get(i - 1))
              .isGreaterThan(seqs.get(i - 1));
        }
        Set<Long> missing = new HashSet<>(stored.get(room));
        missing.removeAll(seqs);
        for (long seq : missing) {
          String message = messageAt.get(room).get(seq);
          assertThat(unknownOutcome).as("room %s seq %d (%s) was not delivered: only allowed for a message"
              + " whose commit outcome was unknown", room, seq, message).contains(message);
        }
        missedTotal += missing.size();
      }
    }
    System.out.printf("FAULTS subscribers: %d subscribers, each room in seq order; %d notification(s) missing in all,"
        + " each for a message stored by a commit whose outcome was unknown (%d such messages)%n",
        subscribers.size(), missedTotal, unknownOutcome.size());
  }

  /**
   * Messages refused at least once and then acknowledged as an earlier one: stored by a commit
   * whose answer was lost, so never published (the retry finds a duplicate).
   */
  private Set<String> unknownOutcomeMessages() {
    Set<String> refused = new HashSet<>();
    for (Attempt a : attempts) {
      if (a.kind == Kind.REFUSED) {
        refused.add(a.sender + "/" + a.clientId);
      }
    }
    return refused;
  }
}
