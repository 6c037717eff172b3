package io.parley.server.process;

import com.google.gson.JsonObject;
import io.parley.server.auth.Tokens;
import io.parley.server.testing.TestPostgres;
import io.parley.server.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.SoftAssertions;

/**
 * One attack on the packaged server, from start to verdict (issue 13, "no single client can take a
 * node down"). The server jar runs as its own JVM with {@code -Xmx256m} on a fresh PostgreSQL
 * schema; while the attack runs, a {@link Victim} sends steadily, a {@link Probe} asks
 * {@code GET /health} every 250 ms, and the server's RSS is read from {@code /proc/<pid>/status}.
 * {@link #finish()} then stops all that, has a fresh client join, send and read, prints the figures
 * in one line ({@code attack <name>: ...}, for docs/reliability.md) and checks, all at once so that
 * a failure lists every broken promise:
 *
 * <ul>
 *   <li>no {@code OutOfMemoryError} in the server's output, and its RSS stayed below {@link #RSS_BOUND_MB};
 *   <li>every send of the victim was acknowledged: no error (no {@code -32005} while the database
 *       is up; the victim is far below its own rate limit), none unanswered, never closed;
 *   <li>every probe answered within its timeout;
 *   <li>the fresh client works.
 * </ul>
 *
 * <p>The jar runs on this test JVM's runtime unless {@code -Dparley.server.java.home=<a JDK>} names
 * another (see {@link ServerProcess#java()}): the Docker image ships JDK 25, where blocking reads get
 * virtual threads, while on 17 they share 16 platform threads, which hides part of what
 * {@link ReadStarvationIT} attacks.
 *
 * <p>Usage: {@link #start}, optionally {@link #seedBigRoom()}, {@link #watch()}, run the attack
 * (bounded to a few seconds with {@link #hold}), stop it, {@link #finish()}; close in a finally.
 */
final class AttackHarness implements AutoCloseable {
  enum Mode { OPEN, TOKEN }

  /** Generous for -Xmx256m: heap, metaspace, 200 Jetty threads' stacks and I/O buffers. */
  static final long RSS_BOUND_MB = 600;
  static final String BIG_ROOM = "big";
  static final int BIG_MESSAGES = 500;
  static final int BIG_TEXT = 4000;
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  /** For the fresh client's join, send, notification and read together. */
  private static final Duration FRESH_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Mode mode;
  private final String schema;
  private final ServerProcess server;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(PROBE_TIMEOUT).build();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(Probe.daemon("rss"));
  private final AtomicLong peakRssKb = new AtomicLong();
  private final List<Probe> probes = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> broken = new ArrayList<>();
  private Victim victim;

  private AttackHarness(String name, Mode mode, String schema, ServerProcess server) {
    this.name = name;
    this.mode = mode;
    this.schema = schema;
    this.server = server;
    this.port = server.awaitPort();
  }

  /** Starts the jar on a fresh schema, in token mode (with {@link Tokens#SECRET}) or open mode. */
  static AttackHarness start(String name, Mode mode) throws IOException {
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.freshSchema();
    Map<String, String> env = new HashMap<>(Map.of("PARLEY_PORT", "0", "PARLEY_DB_URL", TestPostgres.URL,
        "PARLEY_DB_USER", TestPostgres.USER, "PARLEY_DB_PASSWORD", TestPostgres.PASSWORD, "PARLEY_DB_SCHEMA", schema));
    if (mode == Mode.TOKEN) {
      env.put("PARLEY_JWT_SECRET", Tokens.SECRET);
    }
    try {
      return new AttackHarness(name, mode, schema, ServerProcess.start(List.of("-Xmx256m"), env));
    } catch (RuntimeException | IOException e) {
      TestPostgres.dropSchema(schema);
      throw e;
    }
  }

  int port() {
    return port;
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Upgrade headers for a legitimate client: a valid token in token mode, none in open mode. */
  Map<String, String> credentials(String user) {
    return mode == Mode.TOKEN ? Map.of("Authorization", "Bearer " + Tokens.valid(user)) : Map.of();
  }

  /**
   * Fills room {@value #BIG_ROOM} with {@value #BIG_MESSAGES} texts of {@value #BIG_TEXT}
   * characters (a full history page is then about 2 MB of JSON) through
   * {@code POST /api/rooms/big/messages}, 16 at a time: a second or two.
   */
  void seedBigRoom() throws Exception {
    long start = System.nanoTime();
    int lanes = 16;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = lane; i < BIG_MESSAGES; i += lanes) {
        int n = i;
        chain = chain.thenCompose(v -> postBig(n));
      }
      all.add(chain);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    note(String.format("seeded %d x %d chars in %d ms", BIG_MESSAGES, BIG_TEXT, ms(System.nanoTime() - start)));
  }

  private CompletableFuture<Void> postBig(int n) {
    String head = "big " + n + " ";
    String body = "{\"text\":\"" + head + "x".repeat(BIG_TEXT - head.length()) + "\",\"clientId\":\"seed-" + n + "\"}";
    HttpRequest.Builder request = HttpRequest.newBuilder(http("/api/rooms/" + BIG_ROOM + "/messages"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    credentials("seeder").forEach(request::header);
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
      if (r.statusCode() != 201) {
        throw new IllegalStateException("seeding message " + n + ": " + r.statusCode() + " " + r.body());
      }
    });
  }

  /** Starts the RSS sampler, the /health probe and the victim. */
  void watch() {
    sampler.scheduleAtFixedRate(this::sampleRss, 0, 100, TimeUnit.MILLISECONDS);
    probe(Probe.every("/health", Duration.ofMillis(250), PROBE_TIMEOUT, () -> httpGet("/health")));
    victim = Victim.start(ws(), credentials("victim"));
  }

  /** Adds a probe, stopped and checked with the others. */
  void probe(Probe probe) {
    probes.add(probe);
  }

  /** A GET on the server that must answer 200 within {@link #PROBE_TIMEOUT}. */
  void httpGet(String path) throws Exception {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(http(path)).timeout(PROBE_TIMEOUT).build(),
        HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
    }
  }

  private void sampleRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          peakRssKb.accumulateAndGet(kb, Math::max);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone; what was seen stays
    }
  }

  /** The attack's load duration: returns after {@code duration}, or at once if the server died. */
  void hold(Duration duration) {
    awaitUntil(() -> !alive(), duration);
  }

  /** Waits until {@code condition} holds or {@code timeout} passed; whether it held. */
  boolean awaitUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return true;
  }

  boolean alive() {
    return ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** A figure or fact of this attack, printed in its line. */
  void note(String note) {
    notes.add(note);
  }

  /** A promise of this attack beyond the common ones: checked (with {@code what}) in {@link #finish()}. */
  void require(boolean kept, String what) {
    if (!kept) {
      broken.add(what);
    }
  }

  /** Stops watching, checks the fresh client, prints the figures and asserts everything listed above. */
  void finish() throws Exception {
    victim.stop();
    probes.forEach(Probe::stop);
    sampleRss();
    sampler.shutdownNow();
    String fresh = CompletableFuture.supplyAsync(this::freshClient)
        .completeOnTimeout("no success within " + FRESH_TIMEOUT.toSeconds() + " s", FRESH_TIMEOUT.toSeconds(),
            TimeUnit.SECONDS).join();
    List<String> output = server.output();
    output.stream().filter(l -> l.contains("blocking work runs on")).findFirst()
        .ifPresent(l -> note(l.substring(l.indexOf("blocking work runs on"))));
    long ooms = output.stream().filter(l -> l.contains("OutOfMemoryError")).count();
    List<String> probeSummaries = probes.stream().map(Probe::summary).toList();
    System.out.printf("attack %s: peak RSS %d MB; %s; %s; OutOfMemoryError lines %d; fresh client %s; %s%n", name,
        peakRssKb.get() / 1024, victim.summary(), String.join("; ", probeSummaries), ooms,
        fresh == null ? "ok" : "FAILED (" + fresh + ")", String.join("; ", notes));
    output.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("OutOfMemoryError"))
        .limit(15).forEach(l -> System.out.println("  server: " + l));

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(ooms).as("OutOfMemoryError lines in the server's output").isZero();
    soft.assertThat(peakRssKb.get() / 1024).as("peak RSS of the server in MB (-Xmx256m)").isLessThan(RSS_BOUND_MB);
    soft.assertThat(victim.sent()).as("victim sends").isPositive();
    soft.assertThat(victim.errors()).as("victim errors by code (0: could not write), first: %s", victim.firstErrors())
        .isEmpty();
    soft.assertThat(victim.unanswered()).as("victim sends never answered").isZero();
    soft.assertThat(victim.closedByServer()).as("victim's connection closed by the server").isFalse();
    for (Probe p : probes) {
      soft.assertThat(p.failures()).as("%s asks not answered within %s", p.name(), PROBE_TIMEOUT).isEmpty();
    }
    soft.assertThat(broken).as("promises of this attack that were broken").isEmpty();
    soft.assertThat(fresh).as("a fresh client joins, sends and reads after the attack").isNull();
    soft.assertAll();
  }

  /** Null if a new client could join, send, receive its message and read it back; else what failed. */
  private String freshClient() {
    String text = "fresh after " + name;
    try (WsClient c = WsClient.connect(ws(), credentials("fresh"))) {
      c.result("room.join", "{\"room\":\"fresh\"}");
      c.result("chat.send", "{\"room\":\"fresh\",\"text\":\"" + text + "\"}");
      JsonObject live = c.awaitNotification("chat.message");
      JsonObject page = c.result("chat.history", "{\"room\":\"fresh\",\"limit\":10}");
      if (!text.equals(live.get("text").getAsString()) || !page.toString().contains(text)) {
        return "got " + live + " and " + page;
      }
      return null;
    } catch (Throwable e) {
      return e.toString();
    }
  }

  static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Override
  public void close() {
    if (victim != null) {
      victim.close();
    }
    probes.forEach(Probe::stop);
    sampler.shutdownNow();
    server.close();
    TestPostgres.dropSchema(schema);
  }
}
