package io.parley.server.ws;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The timer that drops sessions whose close did not finish in time (see {@link
 * JettyTransport#close}). One daemon thread for the process: it only ever checks two flags and
 * aborts, so it is never busy, and it outlives any one server (tests start many).
 */
final class CloseWatch {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "parley-close-watch");
    t.setDaemon(true);
    return t;
  });

  private CloseWatch() {}

  /** Runs {@code check} once the close grace has passed. */
  static void afterGrace(Runnable check) {
    TIMER.schedule(check, JettyTransport.CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
  }
}
