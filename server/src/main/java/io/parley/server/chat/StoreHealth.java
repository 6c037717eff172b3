package io.parley.server.chat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.sql.MessageStore;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether storage is down, as the last commit found it, and the way back up: a circuit breaker
 * for the write path.
 *
 * <p>Why: while the database is unreachable, every attempt to store costs the connection pool's
 * timeout. Once a commit has failed, sends are refused at once instead, and a single probe
 * ({@link MessageStore#isHealthy()}, itself bounded) runs every {@link #PROBE_INTERVAL_MS} on a
 * thread of its own; the first probe that succeeds closes the circuit again, so the node recovers
 * by itself when the database returns. Readiness reads the same state, so {@code /ready} turns
 * 503 without waiting for anything.
 *
 * <p>"Down" means the database failed, never that the node was busy: the committer borrows from
 * a write pool that no read can use (see {@code PooledDatabase}), with a connection for it and
 * one for the probe, so its wait for a connection times out only when no connection to the
 * database can be kept or opened. A flood of reads waits in the read pool and fails on its own.
 *
 * <p>Threading: all methods from any thread; probes run on {@code parley-store-probe}.
 */
public final class StoreHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  /** Time between probes while storage is down; also the least time a send is refused for. */
  static final long PROBE_INTERVAL_MS = 250;

  private final MessageStore store;
  private final AtomicBoolean down = new AtomicBoolean();
  private final Counter refused;
  private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parley-store-probe");
    t.setDaemon(true);
    return t;
  });
  private volatile long downSinceNanos;

  public StoreHealth(MessageStore store, MeterRegistry registry) {
    this.store = store;
    this.refused = Counter.builder("parley.store.unavailable")
        .description("sends answered -32005 because storage was down or did not answer in time")
        .register(registry);
  }

  /** True from a failed commit until a probe finds the database answering again. */
  public boolean isDown() {
    return down.get();
  }

  /** A commit failed: refuse sends and start probing (once, however many threads report it). */
  void markDown(String why) {
    if (down.compareAndSet(false, true)) {
      downSinceNanos = System.nanoTime();
      LOG.warn("storage is down ({}); refusing sends and probing every {} ms", why, PROBE_INTERVAL_MS);
      scheduleProbe();
    }
  }

  private void scheduleProbe() {
    try {
      prober.schedule(this::probe, PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("not probing storage: closed");
    }
  }

  private void probe() {
    if (store.isHealthy()) {
      down.set(false);
      LOG.info("storage answers again after {} ms; taking sends",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos));
    } else {
      scheduleProbe();
    }
  }

  /** The -32005 error for {@code count} refused sends, counted in {@code parley_store_unavailable_total}. */
  RpcException refuse(int count, String why) {
    refused.increment(count);
    return unavailable(why);
  }

  static RpcException unavailable(String why) {
    return new RpcException(ErrorCodes.UNAVAILABLE, "Unavailable: " + why + "; retry later");
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
