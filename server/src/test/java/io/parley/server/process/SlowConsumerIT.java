package io.parley.server.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestPostgres;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #5, slow consumers, on the packaged jar with a small heap of its own: members of a room
 * send at a fixed rate (open loop) while one member stops reading. The server must close the
 * stalled member with 1013 instead of queueing for it, keep its heap bounded while the room
 * carries far more bytes than the heap holds, and give the stalled member everything back through
 * {@code since} when it returns. The others' latency, unloaded and with the stalled member, is
 * printed for the docs, not asserted: CI shares two cores.
 *
 * <p>Latency is measured on this JVM's clock: every text carries its intended send time, and a
 * member's latency is arrival minus that time (so a sender that falls behind counts against it).
 */
@Timeout(150)
class SlowConsumerIT {
  private static final int HEAP_MB = 96;
  /** Large texts so the room carries several heaps' worth of bytes in a few seconds. */
  private static final int TEXT_CHARS = 32_768;
  private static final int SENDERS = 2;
  private static final int LISTENERS = 1;
  /**
   * Messages per second, all senders together: 4.9 MB/s to every member. At 250/s (8 MB/s) the
   * JDK clients of this test, sharing two cores with the server and PostgreSQL, fell two seconds
   * behind now and then and were rightly cut off as slow themselves.
   */
  private static final int RATE = 150;
  /**
   * 16 MiB, three seconds of this room's traffic: a member on this loaded machine may fall a
   * second behind now and then (the 4 MiB default) without being what the test is about.
   */
  private static final long OUTBOUND_LIMIT = 16L * 1024 * 1024;
  private static final Duration WARMUP = Duration.ofSeconds(5);
  private static final Duration UNLOADED = Duration.ofSeconds(5);
  /** Long enough for the room to carry twice the heap at {@link #RATE}. */
  private static final Duration LOADED = Duration.ofSeconds(45);
  /** Below this the kernel would absorb a noticeable part of what the server pushes. */
  private static final int SLOW_RECEIVE_BUFFER = 4096;
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Floor of the printed latency bound: a p99 of a few ms on a shared two-core machine jitters by that much. */
  private static final long FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * History page size for the recovery. Not the protocol's 500: chat.history has no byte budget,
   * so 500 texts of this size would be a 16 MB reply, more than this server's small heap can build.
   */
  private static final int PAGE = 50;
  private static final String ROOM = "slow";
  private static final int WARM = 0;
  private static final int CALM = 1;
  private static final int LOAD = 2;
  private static final Pattern MARK = Pattern.compile("@@p(\\d) s(\\d+) n(\\d+) t(-?\\d+) ");
  private static final Pattern HEAP_LINE = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\".*\\} (\\S+)$");
  private static final Pattern SLOW_LINE = Pattern.compile("^parley_limits_tripped_total\\{limit=\"slow_consumer\".*\\} (\\S+)$");

  private volatile int phase = WARM;
  private volatile boolean stopSending;

  @Test
  void aStalledMemberIsClosedWith1013WhileTheOthersKeepTheirPaceAndItRecoversEverything() throws Exception {
    // PostgreSQL, not the embedded store: the heap under test is then the server's own, not H2's page cache
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.freshSchema();
    Map<String, String> env = Map.of("PARLEY_PORT", "0", "PARLEY_DB_URL", TestPostgres.URL,
        "PARLEY_DB_USER", TestPostgres.USER, "PARLEY_DB_PASSWORD", TestPostgres.PASSWORD, "PARLEY_DB_SCHEMA", schema,
        "PARLEY_MAX_TEXT", Integer.toString(TEXT_CHARS), "PARLEY_OUTBOUND_LIMIT", Long.toString(OUTBOUND_LIMIT));
    long started = System.nanoTime();
    // -Xlog:gc only to count the server's GC pauses (a full GC would show a heap under pressure)
    try (ServerProcess server = ServerProcess.start(List.of("-Xmx" + HEAP_MB + "m", "-Xlog:gc"), env)) {
      int port = server.awaitPort();
      URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
      List<Peer> peers = new ArrayList<>();
      ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
      List<Thread> senders = new ArrayList<>();
      try {
        for (int i = 0; i < SENDERS + LISTENERS; i++) {
          Peer peer = Peer.connect(ws);
          peers.add(peer);
          peer.call("room.join", "{\"room\":\"" + ROOM + "\"}").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int s = 0; s < SENDERS; s++) {
          Thread sender = new Thread(sendLoop(peers.get(s), s, t0), "sender-" + s);
          sender.start();
          senders.add(sender);
        }
        awaitNanos(WARMUP);
        phase = CALM;
        awaitNanos(UNLOADED);

        Metrics metrics = new Metrics(URI.create("http://127.0.0.1:" + port + "/metrics"));
        poller.scheduleWithFixedDelay(metrics::sample, 0, 200, TimeUnit.MILLISECONDS);
        long slowJoined = System.nanoTime();
        try (SlowSocket slow = SlowSocket.connect(port, SLOW_RECEIVE_BUFFER)) {
          slow.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"" + ROOM + "\"}}");
          JsonObject join = JsonParser.parseString(slow.readJoinReply()).getAsJsonObject();
          long joinSeq = join.getAsJsonObject("result").get("seq").getAsLong();
          phase = LOAD;
          long loadStart = System.nanoTime();
          // from here on the slow member reads nothing until the load phase is over
          awaitNanos(LOADED);
          stopSending = true;
          for (Thread sender : senders) {
            sender.join(WAIT.toMillis());
            assertThat(sender.isAlive()).as("sender stopped").isFalse();
          }
          long loadNanos = System.nanoTime() - loadStart;
          poller.shutdown();
          assertThat(poller.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
          metrics.sample();
          System.out.printf("  server heap used (sum of heap pools) during the stall: max %.1f MB over %d samples%n",
              metrics.maxHeap / 1e6, metrics.samples);
          System.out.printf("  server GC: %d pauses, %d full%n",
              server.output().stream().filter(line -> line.contains("[gc]") && line.contains(" Pause ")).count(),
              server.output().stream().filter(line -> line.contains("[gc]") && line.contains("Pause Full")).count());
          System.out.printf("  slow_consumer tripped %.0f time(s), first seen %s after the stalled join%n",
              metrics.slowTrips, metrics.firstTrip == 0 ? "never" : ms(metrics.firstTrip - slowJoined));

          // which sessions the server closed, and any trouble it logged: the first thing to read when this fails
          server.output().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("1013"))
              .forEach(l -> System.out.println("  server: " + l));
          // every send acknowledged, every listener got every message
          Map<Long, String> marks = new ConcurrentHashMap<>();
          for (int s = 0; s < SENDERS; s++) {
            peers.get(s).collectAcks(marks);
          }
          long lastSeq = marks.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
          assertThat(lastSeq).as("seqs are 1..n with no gap").isEqualTo(marks.size());
          for (Peer peer : peers) {
            await(() -> peer.messages.get() >= marks.size(), "every message delivered to every member");
          }
          long loadBytes = 0;
          for (Map.Entry<Long, String> e : marks.entrySet()) {
            if (e.getKey() > joinSeq) {
              loadBytes += TEXT_CHARS;
            }
          }

          // the slow member reads again: what the server had written, then the close frame
          long resumed = System.nanoTime();
          SlowSocket.Drained drained = slow.drain();
          long drainedAt = System.nanoTime();

          // figures
          long[] calm = Peer.merged(peers, CALM);
          long[] load = Peer.merged(peers, LOAD);
          long p99Calm = percentile(calm, 0.99);
          long p99Load = percentile(load, 0.99);
          long bound = Math.max(2 * p99Calm, p99Calm + FLOOR_NANOS);
          System.out.printf("SlowConsumerIT: server -Xmx%dm, %d senders + %d listeners at %d msg/s of %d chars%n",
              HEAP_MB, SENDERS, LISTENERS, RATE, TEXT_CHARS);
          System.out.printf("  unloaded: %d deliveries, p50 %s, p99 %s, max %s%n", calm.length,
              ms(percentile(calm, 0.5)), ms(p99Calm), ms(percentile(calm, 1.0)));
          System.out.printf("  with the stalled member: %d deliveries, p50 %s, p99 %s, max %s (bound %s)%n", load.length,
              ms(percentile(load, 0.5)), ms(p99Load), ms(percentile(load, 1.0)), ms(bound));
          if (metrics.firstTrip != 0) {
            long[] before = Peer.merged(peers, LOAD, loadStart, metrics.firstTrip);
            long[] after = Peer.merged(peers, LOAD, metrics.firstTrip, Long.MAX_VALUE);
            System.out.printf("    until the limit tripped: %d deliveries, p99 %s; after: %d deliveries, p99 %s%n",
                before.length, ms(percentile(before, 0.99)), after.length, ms(percentile(after, 0.99)));
          }
          System.out.printf("  room traffic while it stalled: %d messages, %.1f MB of text in %.1f s (%.1fx the heap)%n",
              lastSeq - joinSeq, loadBytes / 1e6, loadNanos / 1e9, loadBytes / (HEAP_MB * 1024.0 * 1024.0));
          System.out.printf("  the stalled member then read %d messages, %.1f MB, and close %d in %s%n",
              drained.seqs().size(), drained.bytes() / 1e6, drained.closeCode(), ms(drainedAt - resumed));
          // 1013, or 1006 when the server dropped it because the 1013 could not be written within its
          // close grace (the frame queues behind everything the member did not read)
          assertThat(drained.closeCode()).as("close code for the stalled member").isIn(1013, 1006);
          for (int i = 0; i < drained.seqs().size(); i++) {
            assertThat(drained.seqs().get(i)).as("live message %d of the stalled member", i).isEqualTo(joinSeq + 1 + i);
          }
          long seenSeq = joinSeq + drained.seqs().size();

          // it returns and recovers the rest with since, paging while truncated
          List<Long> recovered = new ArrayList<>();
          long recoverStart = System.nanoTime();
          try (Peer back = Peer.connect(ws)) {
            JsonObject result = back.call("room.join", "{\"room\":\"" + ROOM + "\",\"since\":" + seenSeq + "}")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS).getAsJsonObject("result");
            boolean more = addMessages(result.getAsJsonArray("missed"), recovered, marks) && result.get("truncated").getAsBoolean();
            long after = recovered.isEmpty() ? seenSeq : recovered.get(recovered.size() - 1);
            while (more && after < lastSeq) {
              JsonObject page = back.call("chat.history", "{\"room\":\"" + ROOM + "\",\"after\":" + after + ",\"limit\":" + PAGE + "}")
                  .get(WAIT.toSeconds(), TimeUnit.SECONDS).getAsJsonObject("result");
              more = addMessages(page.getAsJsonArray("messages"), recovered, marks);
              after = recovered.get(recovered.size() - 1);
            }
          }
          long recoverNanos = System.nanoTime() - recoverStart;
          List<Long> expected = new ArrayList<>();
          for (long seq = seenSeq + 1; seq <= lastSeq; seq++) {
            expected.add(seq);
          }
          assertThat(recovered).as("recovered seqs, once each, in order").isEqualTo(expected);

          System.out.printf("  recovery: %d messages after seq %d in %s; whole test %.1f s%n",
              recovered.size(), seenSeq, ms(recoverNanos), (System.nanoTime() - started) / 1e9);

          assertThat(metrics.slowTrips).as("slow_consumer limit tripped").isEqualTo(1.0);
          assertThat(loadBytes).as("bytes through the room while the member stalled").isGreaterThan(2L * HEAP_MB * 1024 * 1024);
          assertThat(server.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
          assertThat(calm.length).isGreaterThan(0);
        }
      } finally {
        server.output().stream().filter(line -> !line.contains(" INFO ") && !line.contains("[gc]")).limit(40)
            .forEach(line -> System.out.println("  server: " + line));
        stopSending = true;
        poller.shutdownNow();
        for (Peer peer : peers) {
          peer.close();
        }
      }
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  private Runnable sendLoop(Peer peer, int sender, long t0) {
    long period = TimeUnit.SECONDS.toNanos(1) * SENDERS / RATE;
    long offset = period * sender / SENDERS;
    String padding = "x".repeat(TEXT_CHARS);
    return () -> {
      for (long n = 0; !stopSending; n++) {
        long intended = t0 + offset + n * period;
        for (long left = intended - System.nanoTime(); left > 0; left = intended - System.nanoTime()) {
          LockSupport.parkNanos(left); // pacing to the schedule, not waiting for the server
        }
        String mark = "@@p" + phase + " s" + sender + " n" + n + " t" + intended + " ";
        String text = mark + padding.substring(mark.length());
        peer.send(n, mark, "{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":\"chat.send\",\"params\":{\"room\":\""
            + ROOM + "\",\"text\":\"" + text + "\"}}");
      }
    };
  }

  /** Adds the seqs of these messages, checking each text is the one acknowledged for its seq; false when none. */
  private static boolean addMessages(JsonArray messages, List<Long> into, Map<Long, String> marks) {
    for (JsonElement element : messages) {
      JsonObject m = element.getAsJsonObject();
      long seq = m.get("seq").getAsLong();
      String text = m.get("text").getAsString();
      assertThat(text).as("text of seq %d", seq).startsWith(marks.get(seq)).hasSize(TEXT_CHARS);
      into.add(seq);
    }
    return messages.size() > 0;
  }

  private static void awaitNanos(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left); // a phase of fixed length, not a wait for the server
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String ms(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }

  /** The server's heap and slow-consumer counter, sampled from {@code GET /metrics}. Single poller thread, then read after it stops. */
  private static final class Metrics {
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpRequest request;
    private volatile double maxHeap;
    private volatile double slowTrips;
    private volatile long firstTrip;
    private volatile int samples;

    Metrics(URI uri) {
      request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
    }

    synchronized void sample() {
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        double heap = 0;
        double slow = 0;
        for (String line : body.split("\n")) {
          Matcher h = HEAP_LINE.matcher(line);
          if (h.matches()) {
            heap += Double.parseDouble(h.group(1));
          }
          Matcher s = SLOW_LINE.matcher(line);
          if (s.matches()) {
            slow = Double.parseDouble(s.group(1));
          }
        }
        maxHeap = Math.max(maxHeap, heap);
        if (slow > 0 && firstTrip == 0) {
          firstTrip = System.nanoTime();
        }
        slowTrips = slow;
        samples++;
      } catch (IOException e) {
        throw new AssertionError("GET /metrics failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A room member on the JDK WebSocket that records the latency of every {@code chat.message} by
   * phase (on the Listener thread) and answers calls by id; light enough for a few MB/s.
   */
  private static final class Peer implements WebSocket.Listener, AutoCloseable {
    private final StringBuilder partial = new StringBuilder();
    private final Map<Long, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
    private final Map<Long, String> sentMarks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1L << 40);
    private final AtomicLong messages = new AtomicLong();
    private final long[][] latencies = new long[LOAD + 1][1024];
    private final long[][] arrivals = new long[LOAD + 1][1024];
    private final int[] counts = new int[LOAD + 1];
    private WebSocket socket;

    static Peer connect(URI uri) {
      Peer peer = new Peer();
      peer.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
          .buildAsync(uri, peer).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      return peer;
    }

    CompletableFuture<JsonObject> call(String method, String params) {
      long id = ids.incrementAndGet();
      CompletableFuture<JsonObject> reply = new CompletableFuture<>();
      calls.put(id, reply);
      socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
          .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      return reply.thenApply(o -> {
        if (o.has("error")) {
          throw new AssertionError(method + " failed: " + o);
        }
        return o;
      }).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends a chat.send with its own id; the ack is collected later. */
    void send(long id, String mark, String frame) {
      calls.put(id, new CompletableFuture<>());
      sentMarks.put(id, mark.substring(0, mark.lastIndexOf(" t") + 2)); // "... n12 t" is no prefix of "... n123 t"
      socket.sendText(frame, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Waits for every chat.send ack and adds seq -> the start of its text (up to the time) to {@code marks}. */
    void collectAcks(Map<Long, String> marks) throws Exception {
      for (Map.Entry<Long, String> sent : sentMarks.entrySet()) {
        JsonObject ack = calls.get(sent.getKey()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(ack.has("result")).as("ack %s", ack).isTrue();
        String previous = marks.put(ack.getAsJsonObject("result").get("seq").getAsLong(), sent.getValue());
        assertThat(previous).as("one message per seq").isNull();
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = System.nanoTime();
        String text = partial.toString();
        partial.setLength(0);
        onFrame(text, now);
      }
      webSocket.request(1);
      return null;
    }

    private void onFrame(String text, long now) {
      if (text.startsWith("{\"jsonrpc\":\"2.0\",\"method\":\"chat.message\"")) {
        Matcher m = MARK.matcher(text);
        if (m.find()) {
          record(Integer.parseInt(m.group(1)), now - Long.parseLong(m.group(4)), now);
        }
        messages.incrementAndGet();
        return;
      }
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      if (o.has("id") && !o.has("method")) {
        CompletableFuture<JsonObject> call = calls.get(o.get("id").getAsLong());
        if (call != null) {
          call.complete(o);
        }
      }
    }

    private synchronized void record(int phase, long nanos, long arrival) {
      if (counts[phase] == latencies[phase].length) {
        latencies[phase] = Arrays.copyOf(latencies[phase], counts[phase] * 2);
        arrivals[phase] = Arrays.copyOf(arrivals[phase], counts[phase] * 2);
      }
      arrivals[phase][counts[phase]] = arrival;
      latencies[phase][counts[phase]++] = nanos;
    }

    static long[] merged(List<Peer> peers, int phase) {
      return merged(peers, phase, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The latencies of this phase that arrived in [from, to), sorted. */
    static long[] merged(List<Peer> peers, int phase, long from, long to) {
      long[] all = new long[0];
      for (Peer peer : peers) {
        synchronized (peer) {
          int at = all.length;
          all = Arrays.copyOf(all, at + peer.counts[phase]);
          for (int i = 0; i < peer.counts[phase]; i++) {
            long arrival = peer.arrivals[phase][i];
            if (from <= arrival && arrival < to) {
              all[at++] = peer.latencies[phase][i];
            }
          }
          all = Arrays.copyOf(all, at);
        }
      }
      Arrays.sort(all);
      return all;
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      socket.abort();
    }
  }

  /**
   * A member on a plain socket with a small receive buffer, so that when it stops reading the
   * kernel holds little and the server's queue does the holding. Used from one thread.
   */
  private static final class SlowSocket implements AutoCloseable {
    record Drained(List<Long> seqs, long bytes, int closeCode) {}

    private final RawWebSocket raw;

    private SlowSocket(RawWebSocket raw) {
      this.raw = raw;
    }

    static SlowSocket connect(int port, int receiveBuffer) throws IOException {
      return new SlowSocket(RawWebSocket.connect(port, receiveBuffer));
    }

    void sendText(String text) throws IOException {
      raw.sendText(text);
    }

    /** Reads messages until the reply to the join (id 1); other messages before it are only presence. */
    String readJoinReply() throws IOException {
      while (true) {
        String text = raw.readText();
        if (text.startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,")) {
          return text;
        }
      }
    }

    /** Reads everything until the close frame (or the end of the stream, reported as 1006). */
    Drained drain() throws IOException {
      List<Long> seqs = new ArrayList<>();
      long start = raw.bytesRead();
      while (true) {
        RawWebSocket.Reply reply;
        try {
          reply = raw.read();
        } catch (EOFException e) {
          return new Drained(seqs, raw.bytesRead() - start, 1006);
        }
        if (reply.closed()) {
          return new Drained(seqs, raw.bytesRead() - start, reply.closeCode());
        }
        if (reply.text().startsWith("{\"jsonrpc\":\"2.0\",\"method\":\"chat.message\"")) {
          seqs.add(JsonParser.parseString(reply.text()).getAsJsonObject().getAsJsonObject("params").get("seq")
              .getAsLong());
        }
      }
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}
