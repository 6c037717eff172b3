package io.parley.server.process;

import com.google.gson.JsonObject;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client an attack must not hurt: a WebSocket member of a room of its own that sends a short
 * {@code chat.send} every {@link #PERIOD} on schedule, whatever the answers (open loop), and
 * records each answer: acknowledged, or the error code, or none at all.
 *
 * <p>Threading: sends run on one pacing thread, answers are read on another; figures may be read
 * at any time and are final after {@link #stop()}.
 */
final class Victim implements AutoCloseable {
  static final Duration PERIOD = Duration.ofMillis(20);
  /** How long answers still outstanding when the sending stops may take. */
  private static final Duration DRAIN = Duration.ofSeconds(5);
  private static final String ROOM = "victim";

  private final WsClient ws;
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(Probe.daemon("victim-send"));
  private final Thread reader;
  /** Sends not answered yet: request id to the time it was sent. */
  private final Map<Long, Long> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1_000_000);
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger acked = new AtomicInteger();
  private final Map<Integer, AtomicInteger> errorCodes = new ConcurrentHashMap<>();
  private final Queue<String> firstErrors = new ConcurrentLinkedQueue<>();
  private final AtomicLong maxAckNanos = new AtomicLong();
  private volatile boolean stopped;
  private long startedAt;
  private long stoppedAt;

  private Victim(URI ws, Map<String, String> headers) {
    this.ws = WsClient.connect(ws, headers);
    this.ws.result("room.join", "{\"room\":\"" + ROOM + "\"}");
    this.reader = new Thread(this::readAnswers, "victim-read");
    reader.setDaemon(true);
  }

  /** Connects (with these upgrade headers, e.g. a token), joins its room and starts sending. */
  static Victim start(URI ws, Map<String, String> headers) {
    Victim v = new Victim(ws, headers);
    v.startedAt = System.nanoTime();
    v.reader.start();
    v.pacer.scheduleAtFixedRate(v::sendOne, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return v;
  }

  private void sendOne() {
    long id = ids.incrementAndGet();
    pending.put(id, System.nanoTime());
    sent.incrementAndGet();
    try {
      ws.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"chat.send\",\"params\":{\"room\":\"" + ROOM
          + "\",\"text\":\"victim message " + id + "\",\"clientId\":\"v" + id + "\"}}");
    } catch (RuntimeException e) {
      pending.remove(id);
      error(0, "send " + id + " could not be written: " + e);
    }
  }

  private void readAnswers() {
    long drainDeadline = Long.MAX_VALUE;
    while (!pending.isEmpty() || !stopped) {
      if (stopped && drainDeadline == Long.MAX_VALUE) {
        drainDeadline = System.nanoTime() + DRAIN.toNanos();
      }
      if (System.nanoTime() > drainDeadline || Thread.currentThread().isInterrupted()) {
        return;
      }
      JsonObject frame = ws.poll(o -> true, Duration.ofMillis(100));
      if (frame == null || frame.has("method") || !frame.has("id") || !frame.get("id").isJsonPrimitive()) {
        continue; // notifications: its own chat.message, others joining
      }
      Long sentAt = pending.remove(frame.get("id").getAsLong());
      if (sentAt == null) {
        continue;
      }
      if (frame.has("result")) {
        acked.incrementAndGet();
        maxAckNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
      } else {
        JsonObject error = frame.getAsJsonObject("error");
        error(error.get("code").getAsInt(), error.toString());
      }
    }
  }

  private void error(int code, String what) {
    errorCodes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    if (firstErrors.size() < 10) {
      firstErrors.add(what);
    }
  }

  /** Stops sending and waits (bounded) for the answers still outstanding. */
  void stop() throws InterruptedException {
    stopped = true;
    pacer.shutdown();
    pacer.awaitTermination(15, TimeUnit.SECONDS);
    stoppedAt = System.nanoTime();
    reader.join(DRAIN.toMillis() + 5_000);
  }

  int sent() {
    return sent.get();
  }

  int acked() {
    return acked.get();
  }

  int unanswered() {
    return pending.size();
  }

  /** Error code to how many answers had it; 0 for sends that could not even be written. */
  Map<Integer, Integer> errors() {
    Map<Integer, Integer> copy = new TreeMap<>();
    errorCodes.forEach((code, n) -> copy.put(code, n.get()));
    return copy;
  }

  List<String> firstErrors() {
    return List.copyOf(firstErrors);
  }

  boolean closedByServer() {
    return ws.isClosed();
  }

  String summary() {
    double seconds = Math.max(1, stoppedAt - startedAt) / 1e9;
    return String.format("victim %d sends, %d acked (%.1f/s), errors %s, %d unanswered, max ack %d ms",
        sent(), acked(), acked() / seconds, errors(), unanswered(), TimeUnit.NANOSECONDS.toMillis(maxAckNanos.get()));
  }

  @Override
  public void close() {
    stopped = true;
    pacer.shutdownNow();
    reader.interrupt();
    ws.close();
  }
}
