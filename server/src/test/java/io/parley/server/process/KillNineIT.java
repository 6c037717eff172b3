package io.parley.server.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ConnectionListener;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.protocol.types.Message;
import io.parley.server.testing.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server on PostgreSQL, killed with SIGKILL three times under steady chat traffic
 * from real SDK clients and restarted on the same port each time, so the clients reconnect and
 * recover by themselves. Afterwards the database must hold every acknowledged send exactly once,
 * each room's seq must run 1..N without gap, and every client's stream of each room must be that
 * same run, in order, each message once.
 *
 * <p>"Duplicates suppressed" counts sends acknowledged by a later incarnation of the server with a
 * message stored (by its {@code ts}) before the kill that preceded the acknowledgement: their
 * first transmission was committed, the reply died with the process, and the SDK's retry with the
 * same {@code clientId} got the stored message back instead of a second copy.
 */
@Timeout(120)
class KillNineIT {
  private static final List<String> ROOMS = List.of("k9-a", "k9-b", "k9-c");
  private static final int PUBLISHERS = 4;
  private static final int SUBSCRIBERS = 3;
  private static final int KILLS = 3;
  /**
   * Every tick each publisher sends one message: 4 × 125/s = 500 sends a second, which one server
   * on a 2-core machine answers with room to spare (at 1,000/s the backlog after a restart took
   * several seconds to drain there).
   */
  private static final long TICK_MICROS = 8_000;
  /** New sends between kills (about 1.5 s of traffic), counted once the backlog of the last restart is answered. */
  private static final int SENDS_PER_RUN = 750;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ReconnectPolicy FAST = ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(300));

  private final List<ServerProcess> servers = new CopyOnWriteArrayList<>();
  private final List<Observer> observers = new ArrayList<>();
  private Traffic traffic;
  private String schema;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (traffic != null) {
      traffic.stop();
    }
    observers.forEach(o -> o.client.close());
    for (ServerProcess server : servers) {
      server.kill();
    }
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
  }

  @Test
  void everyAcknowledgedSendSurvivesThreeKillNinesOnceAndEveryStreamIsWhole() throws Exception {
    TestPostgres.assumeAvailable();
    schema = TestPostgres.freshSchema();
    int port = freePort();
    Map<String, String> env = Map.of(
        "PARLEY_PORT", Integer.toString(port),
        "PARLEY_HOST", "127.0.0.1",
        "PARLEY_DB_URL", TestPostgres.URL,
        "PARLEY_DB_USER", TestPostgres.USER,
        "PARLEY_DB_PASSWORD", TestPostgres.PASSWORD,
        "PARLEY_DB_SCHEMA", schema);
    long started = System.nanoTime();
    ServerProcess server = start(env);
    URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
    List<ParleyClient> publishers = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      observers.add(Observer.connect(uri, "sub-" + i, true));
    }
    for (int i = 0; i < PUBLISHERS; i++) {
      Observer publisher = Observer.connect(uri, "pub-" + i, false);
      observers.add(publisher);
      publishers.add(publisher.client);
    }
    traffic = new Traffic(publishers);
    traffic.start();

    List<Instant> kills = new ArrayList<>();
    List<Integer> ackedPerRun = new ArrayList<>();
    List<Long> runMs = new ArrayList<>();
    long runStart = 0;
    long runStartedAt = System.nanoTime();
    int ackedBefore = 0;
    for (int k = 1; k <= KILLS; k++) {
      long base = runStart;
      await(() -> traffic.completed() >= base && traffic.issued() >= base + SENDS_PER_RUN,
          () -> "traffic before kill: issued " + traffic.issued() + ", completed " + traffic.completed());
      int pending = publishers.stream().mapToInt(p -> p.callsInFlight() + p.callsWaiting()).sum();
      ackedPerRun.add(traffic.acked() - ackedBefore);
      ackedBefore = traffic.acked();
      long killedAt = System.nanoTime();
      runMs.add(ms(killedAt - runStartedAt));
      kills.add(Instant.now());
      server.kill();
      report("kill " + k, server);
      server = start(env);
      long listeningAt = System.nanoTime();
      int opens = k + 1;
      await(() -> observers.stream().allMatch(o -> o.opens.get() >= opens),
          () -> "reconnected: " + observers.stream().map(o -> o.name + "=" + o.opens.get()).toList());
      long reconnectedAt = System.nanoTime();
      runStart = traffic.issued();
      runStartedAt = reconnectedAt;
      System.out.printf("KillNineIT: kill %d with %d calls in flight or waiting; listening again after %d ms, "
          + "all %d clients reconnected %d ms later (%d ms after the kill)%n", k, pending, ms(listeningAt - killedAt),
          observers.size(), ms(reconnectedAt - listeningAt), ms(reconnectedAt - killedAt));
    }
    long lastRun = runStart;
    await(() -> traffic.completed() >= lastRun && traffic.issued() >= lastRun + SENDS_PER_RUN,
        () -> "traffic after the last restart: issued " + traffic.issued() + ", completed " + traffic.completed());
    runMs.add(ms(System.nanoTime() - runStartedAt));
    traffic.stop();
    traffic.awaitAllAnswered();
    ackedPerRun.add(traffic.acked() - ackedBefore);

    Stored stored = Stored.read(schema);
    Map<String, Long> lastSeqs = new TreeMap<>();
    for (String room : ROOMS) {
      List<Long> seqs = stored.seqs(room);
      assertThat(seqs).as("seq of room %s in the database", room)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
      assertThat(stored.lastSeq.get(room)).as("rooms.last_seq of %s", room).isEqualTo((long) seqs.size());
      lastSeqs.put(room, (long) seqs.size());
    }

    int acked = 0;
    int failed = 0;
    int storedButFailed = 0;
    int suppressed = 0;
    List<String> lost = new ArrayList<>();
    for (Sent s : traffic.sent) {
      Stored.Row row = stored.byKey.get(s.key());
      Message ack = s.ack.handle((m, e) -> m).getNow(null);
      if (ack == null) {
        failed++;
        storedButFailed += row == null ? 0 : 1;
        continue;
      }
      acked++;
      if (row == null) {
        lost.add(s.key() + " acknowledged as seq " + ack.seq());
        continue;
      }
      assertThat(row.seq).as("stored seq of %s", s.key()).isEqualTo(ack.seq());
      assertThat(row.text).as("stored text of %s", s.key()).isEqualTo(s.text);
      Instant ts = Instant.parse(ack.ts());
      long answeredMs = s.answeredAtMs.get();
      if (kills.stream().anyMatch(kill -> ts.isBefore(kill) && kill.toEpochMilli() < answeredMs)) {
        suppressed++;
      }
    }
    assertThat(lost).as("acknowledged sends missing from the database").isEmpty();
    assertThat(stored.byKey).as("one row per (room, sender, clientId)").hasSize(stored.rows);
    assertThat(stored.rows).as("rows = acknowledged sends + failed sends that were stored anyway")
        .isEqualTo(acked + storedButFailed);

    for (Observer o : observers) {
      for (String room : ROOMS) {
        long n = lastSeqs.get(room);
        await(() -> o.count(room) >= n, () -> o.name + " saw " + o.count(room) + " of " + n + " in " + room
            + ", events " + o.events);
      }
    }
    for (Observer o : observers) {
      for (String room : ROOMS) {
        List<Message> seen = o.seen(room);
        assertThat(seen).extracting(Message::seq).as("%s's stream of %s", o.name, room)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeqs.get(room)).boxed().toList());
        for (Message m : seen) {
          assertThat(m.text()).as("text of %s#%d seen by %s", room, m.seq(), o.name)
              .isEqualTo(stored.text(room, m.seq()));
        }
      }
      assertThat(o.streamErrors).as("stream errors of %s", o.name).isEmpty();
    }

    System.out.printf("KillNineIT: %d sends, %d acknowledged (per run: %s; runs of %s ms), %d failed (%d of them "
        + "stored), %d duplicates suppressed, rows per room %s, %d restarts, %d streams checked, %d ms in all%n",
        traffic.sent.size(), acked, ackedPerRun, runMs, failed, storedButFailed, suppressed, lastSeqs, KILLS,
        observers.size() * ROOMS.size(), ms(System.nanoTime() - started));
    List<String> firstFailures = traffic.failures.stream().limit(10).toList();
    assertThat(failed).as("sends that failed for good, the first: %s", firstFailures).isZero();
    report("final", server);
  }

  private ServerProcess start(Map<String, String> env) throws Exception {
    ServerProcess server = ServerProcess.start(env);
    servers.add(server);
    server.awaitPort();
    return server;
  }

  /** Prints the warnings and errors an incarnation logged (a killed one gets no say in its end). */
  private static void report(String when, ServerProcess server) {
    List<String> notable = server.output().stream()
        .filter(line -> line.contains("WARN") || line.contains("ERROR") || line.startsWith("\tat ")).toList();
    if (!notable.isEmpty()) {
      System.out.println("KillNineIT: server log before " + when + ": "
          + String.join("\n  ", notable.subList(0, Math.min(20, notable.size()))));
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Polls {@code condition} every 5 ms until it holds; fails with {@code why} after {@link #WAIT}. */
  private static void await(BooleanSupplier condition, Supplier<String> why) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s: " + why.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /** One send: who sent what where, and its outcome. */
  private record Sent(String sender, String room, String clientId, String text, CompletableFuture<Message> ack,
      AtomicLong answeredAtMs) {
    String key() {
      return room + "/" + sender + "/" + clientId;
    }
  }

  /**
   * Paced chat traffic: a scheduled tick makes every publisher send one message with its own
   * {@code clientId}, rotating over the rooms, without waiting for replies (the SDK keeps up to
   * its in-flight limit on the wire and queues the rest, also while the server is down).
   */
  private static final class Traffic {
    final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<ParleyClient> publishers;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kill9-traffic");
      t.setDaemon(true);
      return t;
    });
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicInteger acked = new AtomicInteger();
    private long ticks;

    Traffic(List<ParleyClient> publishers) {
      this.publishers = publishers;
    }

    void start() {
      pacer.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
    }

    private void tick() {
      long n = ticks++;
      for (int p = 0; p < publishers.size(); p++) {
        String sender = "pub-" + p;
        String room = ROOMS.get((int) ((n + p) % ROOMS.size()));
        String clientId = sender + "-" + n;
        String text = "kill9 " + clientId;
        AtomicLong answeredAt = new AtomicLong();
        CompletableFuture<Message> ack = publishers.get(p).send(room, text, clientId);
        sent.add(new Sent(sender, room, clientId, text, ack, answeredAt));
        issued.incrementAndGet();
        ack.whenComplete((m, e) -> {
          answeredAt.set(System.currentTimeMillis());
          if (e == null) {
            acked.incrementAndGet();
          } else {
            failures.add(clientId + ": " + e);
          }
          completed.incrementAndGet();
        });
      }
    }

    long issued() {
      return issued.get();
    }

    long completed() {
      return completed.get();
    }

    int acked() {
      return acked.get();
    }

    void stop() throws InterruptedException {
      pacer.shutdown();
      assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).as("traffic stopped").isTrue();
    }

    /** Waits until every send was answered one way or the other. */
    void awaitAllAnswered() throws Exception {
      CompletableFuture<?>[] all = sent.stream().map(s -> s.ack.handle((m, e) -> null)).toArray(CompletableFuture[]::new);
      CompletableFuture.allOf(all).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /**
   * One SDK client joined to every room, keeping what each room's stream delivers. Subscribers
   * read through {@link Flow} with bounded demand; publishers through {@code onMessage}.
   */
  private static final class Observer implements ConnectionListener {
    final String name;
    final AtomicInteger opens = new AtomicInteger();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Throwable> streamErrors = new CopyOnWriteArrayList<>();
    private final Map<String, List<Message>> seen = new ConcurrentHashMap<>();
    ParleyClient client;

    private Observer(String name) {
      this.name = name;
    }

    static Observer connect(URI uri, String name, boolean flow) throws Exception {
      Observer o = new Observer(name);
      o.client = ParleyClient.builder().endpoint(uri).name(name).reconnect(FAST)
          .connectTimeout(Duration.ofSeconds(2)).callTimeout(WAIT).listener(o).build();
      o.client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      for (String room : ROOMS) {
        List<Message> list = new ArrayList<>();
        o.seen.put(room, list);
        JoinedRoom joined = o.client.join(room).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (flow) {
          joined.messages().subscribe(o.new Stream(list));
        } else {
          joined.onMessage(m -> o.add(list, m));
        }
      }
      return o;
    }

    private void add(List<Message> list, Message m) {
      synchronized (list) {
        list.add(m);
      }
    }

    int count(String room) {
      List<Message> list = seen.get(room);
      synchronized (list) {
        return list.size();
      }
    }

    List<Message> seen(String room) {
      List<Message> list = seen.get(room);
      synchronized (list) {
        return List.copyOf(list);
      }
    }

    @Override
    public void onOpen(String user) {
      opens.incrementAndGet();
      events.add("open");
    }

    @Override
    public void onReconnecting(int attempt, Duration delay, Throwable cause) {
      events.add("reconnecting " + attempt + ": " + cause.getMessage());
    }

    @Override
    public void onFailed(Throwable cause) {
      events.add("failed: " + cause);
    }

    /** A subscriber asking for 64 at a time, on the client's event thread. */
    private final class Stream implements Flow.Subscriber<Message> {
      private static final int BATCH = 64;
      private final List<Message> list;
      private Flow.Subscription subscription;
      private int sinceRequest;

      Stream(List<Message> list) {
        this.list = list;
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(BATCH);
      }

      @Override
      public void onNext(Message item) {
        add(list, item);
        if (++sinceRequest == BATCH) {
          sinceRequest = 0;
          subscription.request(BATCH);
        }
      }

      @Override
      public void onError(Throwable throwable) {
        streamErrors.add(throwable);
      }

      @Override
      public void onComplete() {
        events.add("stream complete");
      }
    }
  }

  /** The messages table of the test's schema, read once at the end. */
  private static final class Stored {
    record Row(long seq, String text) {}

    final Map<String, Row> byKey = new HashMap<>();
    final Map<String, TreeMap<Long, String>> byRoom = new HashMap<>();
    final Map<String, List<Long>> seqs = new HashMap<>();
    final Map<String, Long> lastSeq = new HashMap<>();
    int rows;

    static Stored read(String schema) throws Exception {
      Stored s = new Stored();
      try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT room, seq, sender, client_id, text FROM " + schema + ".messages ORDER BY room, seq")) {
          while (rs.next()) {
            s.rows++;
            String room = rs.getString(1);
            long seq = rs.getLong(2);
            String text = rs.getString(5);
            s.byKey.put(room + "/" + rs.getString(3) + "/" + rs.getString(4), new Row(seq, text));
            s.byRoom.computeIfAbsent(room, r -> new TreeMap<>()).put(seq, text);
            s.seqs.computeIfAbsent(room, r -> new ArrayList<>()).add(seq);
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT name, last_seq FROM " + schema + ".rooms")) {
          while (rs.next()) {
            s.lastSeq.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return s;
    }

    List<Long> seqs(String room) {
      return seqs.getOrDefault(room, List.of());
    }

    String text(String room, long seq) {
      return byRoom.get(room).get(seq);
    }
  }
}
