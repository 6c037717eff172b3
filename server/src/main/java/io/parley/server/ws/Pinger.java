package io.parley.server.ws;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness: every interval, on one thread ({@code parley-ping}), pings each open session and
 * drops those that sent nothing (no frame, no pong) for two intervals. Dropping runs the
 * endpoint's normal close path, so the session's rooms see {@code room.left}.
 */
public final class Pinger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pinger.class);

  private final SessionRegistry sessions;
  private final long intervalNanos;
  private final Consumer<ClientSession> onDead;
  private final ScheduledThreadPoolExecutor timer;

  /** {@code onDead} runs for each session dropped for not answering (for metrics). */
  public Pinger(SessionRegistry sessions, Duration interval, Consumer<ClientSession> onDead) {
    this.sessions = sessions;
    this.intervalNanos = interval.toNanos();
    this.onDead = onDead;
    this.timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "parley-ping");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleAtFixedRate(this::round, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
  }

  private void round() {
    long now = System.nanoTime();
    for (ClientSession session : sessions.all()) {
      try {
        if (now - session.lastHeardNanos() > 2 * intervalNanos) {
          if (session.disconnect()) {
            LOG.debug("{} sent nothing for two ping intervals; dropped it", session);
            onDead.accept(session);
          }
        } else {
          session.ping();
        }
      } catch (RuntimeException e) {
        LOG.debug("ping of {} failed: {}", session, e.toString());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
