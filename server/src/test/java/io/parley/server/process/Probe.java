package io.parley.server.process;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the server the same thing at a fixed period while an attack runs ({@code GET /health},
 * {@code GET /metrics}, a WebSocket upgrade) and records, for each ask, whether it was answered
 * within the timeout and how long it took. Asks start on schedule whether or not earlier ones
 * were answered, so a server that stalls shows up as failures, not as fewer asks.
 *
 * <p>Threading: asks run on a cached pool of daemon threads; the counters may be read at any time.
 */
final class Probe {
  /** One ask: blocking, throws if the answer is missing or wrong. */
  interface Ask {
    void run() throws Exception;
  }

  private final String name;
  private final Duration timeout;
  private final Ask ask;
  private final ScheduledExecutorService clock;
  private final ExecutorService askers = Executors.newCachedThreadPool(daemon("probe-ask"));
  private final Queue<CompletableFuture<Void>> asks = new ConcurrentLinkedQueue<>();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicLong maxNanos = new AtomicLong();

  private Probe(String name, Duration period, Duration timeout, Ask ask) {
    this.name = name;
    this.timeout = timeout;
    this.ask = ask;
    this.clock = Executors.newSingleThreadScheduledExecutor(daemon("probe-" + name));
    clock.scheduleAtFixedRate(this::askOnce, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts asking now, every {@code period}; an ask not answered within {@code timeout} fails. */
  static Probe every(String name, Duration period, Duration timeout, Ask ask) {
    return new Probe(name, period, timeout, ask);
  }

  private void askOnce() {
    long start = System.nanoTime();
    CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
      try {
        ask.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, askers).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    asks.add(f.whenComplete((v, e) -> {
      long took = System.nanoTime() - start;
      if (e == null) {
        answered.incrementAndGet();
        maxNanos.accumulateAndGet(took, Math::max);
      } else {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        cause = cause instanceof IllegalStateException && cause.getCause() != null ? cause.getCause() : cause;
        failures.add(String.format("%s after %d ms: %s", name, TimeUnit.NANOSECONDS.toMillis(took), cause));
      }
    }).exceptionally(e -> null));
  }

  /** Stops asking and waits for every ask made to be answered or to time out. */
  void stop() {
    clock.shutdownNow();
    CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
    askers.shutdownNow();
  }

  String name() {
    return name;
  }

  int asked() {
    return asks.size();
  }

  int answered() {
    return answered.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  long maxMillis() {
    return TimeUnit.NANOSECONDS.toMillis(maxNanos.get());
  }

  /** One line for the figures: asks, failures, slowest answer. */
  String summary() {
    return String.format("%s %d asks, %d failed, max %d ms", name, asked(), failures.size(), maxMillis());
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
