package io.parley.sql.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "does the database respond?" within a bounded time, for a readiness probe.
 *
 * <p>Why a thread of its own: getting a connection from the pool can block for the pool's
 * whole connection timeout when the database is down, longer than a probe may take. The query
 * runs on one daemon thread and the caller waits at most {@link #WAIT_MS}; callers that come
 * while a query is still running share its answer rather than queueing more work behind it.
 *
 * <p>It borrows from the write pool, where it has a connection of its own, so a flood of reads
 * cannot make the database look down.
 *
 * <p>Threading: {@link #probe()} may be called from any thread.
 */
final class HealthCheck implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

  /** Well under a readiness probe's usual timeout of one second. */
  static final long WAIT_MS = 500;

  private final DataSource dataSource;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "parley-store-health");
    thread.setDaemon(true);
    return thread;
  });
  private Future<Boolean> running; // guarded by this

  HealthCheck(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** True if a trivial query succeeded within {@link #WAIT_MS}. Never throws. */
  boolean probe() {
    try {
      return current().get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException | ExecutionException | RejectedExecutionException e) {
      LOG.debug("Health check of the message store failed", e);
      return false;
    }
  }

  private synchronized Future<Boolean> current() {
    if (running == null || running.isDone()) {
      running = executor.submit(this::query);
    }
    return running;
  }

  private boolean query() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        return rs.next();
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Health check query failed: {}", e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
