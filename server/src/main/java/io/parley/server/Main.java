package io.parley.server;

import io.parley.server.config.ConfigException;
import io.parley.server.config.ConfigParser;
import io.parley.server.config.ServerConfig;
import io.parley.sql.StoreException;
import java.io.IOException;
import java.time.Duration;

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
    try {
      ParleyServer server = ParleyServer.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWithin(server, STOP_LIMIT), "parley-shutdown"));
    } catch (StoreException e) {
      System.err.println("parley: cannot open the store: " + e.getMessage());
      System.exit(EXIT_START);
    } catch (IOException e) {
      System.err.println("parley: cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
      System.exit(EXIT_START);
    } catch (Exception e) {
      System.err.println("parley: failed to start: " + e);
      System.exit(EXIT_START);
    }
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
