package io.parley.server;

import io.parley.server.config.ConfigException;
import io.parley.server.config.ConfigParser;
import io.parley.server.config.ServerConfig;
import io.parley.sql.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The command line: parse configuration, start, and stop gracefully on SIGTERM (the JVM runs
 * shutdown hooks on it). Failures to start print one line and exit non-zero, never a stack trace.
 */
public final class Main {
  private static final int EXIT_CONFIG = 2;
  private static final int EXIT_START = 1;
  /** What a JVM ended by SIGTERM exits with (128 + 15). */
  private static final int EXIT_SIGTERM = 143;
  /** Drain (10 s) + flush (2 s) + Jetty's stop (5 s) + departures (2 s), with room to spare. */
  private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

  private Main() {}

  public static void main(String[] args) {
    if (ConfigParser.wantsHelp(args)) {
      System.out.print(ConfigParser.help());
      return;
    }
    if (ConfigParser.wantsVersion(args)) {
      System.out.println("parley-server " + Version.current());
      return;
    }
    ServerConfig config;
    try {
      config = ConfigParser.parse(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("parley: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    Logging.apply(config);
    // The hook is in place before the port opens: a SIGTERM that comes as soon as the server
    // answers (a supervisor, a test) still stops it gracefully. It waits for the start to end.
    CountDownLatch startEnded = new CountDownLatch(1);
    AtomicReference<ParleyServer> started = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        startEnded.await(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ParleyServer server = started.get();
      if (server != null) {
        stopWithin(server, STOP_LIMIT);
      }
    }, "parley-shutdown"));
    try {
      started.set(ParleyServer.start(config));
      startEnded.countDown();
    } catch (StoreException e) {
      failToStart(startEnded, "cannot open the store: " + e.getMessage());
    } catch (IOException e) {
      failToStart(startEnded, "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
    } catch (Exception e) {
      failToStart(startEnded, "failed to start: " + e);
    }
  }

  /** Prints one line and exits; the shutdown hook, which waits for the start, is let go first. */
  private static void failToStart(CountDownLatch startEnded, String why) {
    startEnded.countDown();
    System.err.println("parley: " + why);
    System.exit(EXIT_START);
  }

  /**
   * Stops the server, and halts the process if that hangs: a stuck stop (it must not happen, but
   * once Jetty's selector lost a wake-up) would keep a node alive until something kills it. What
   * was acknowledged is committed before the parts of the stop that could hang.
   */
  private static void stopWithin(ParleyServer server, Duration limit) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(limit.toMillis());
      } catch (InterruptedException e) {
        return; // the stop finished
      }
      System.err.println("parley: the stop did not finish within " + limit.toSeconds() + " s; halting");
      Runtime.getRuntime().halt(EXIT_SIGTERM);
    }, "parley-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    server.stop();
    watchdog.interrupt();
  }
}
