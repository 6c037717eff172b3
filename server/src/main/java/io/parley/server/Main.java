package io.parley.server;

import io.parley.server.config.ConfigException;
import io.parley.server.config.ConfigParser;
import io.parley.server.config.ServerConfig;
import io.parley.sql.StoreException;
import java.io.IOException;

/**
 * The command line: parse configuration, start, and stop gracefully on SIGTERM (the JVM runs
 * shutdown hooks on it). Failures to start print one line and exit non-zero, never a stack trace.
 */
public final class Main {
  private static final int EXIT_CONFIG = 2;
  private static final int EXIT_START = 1;

  private Main() {}

  public static void main(String[] args) {
    if (ConfigParser.wantsHelp(args)) {
      System.out.print(ConfigParser.help());
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
    try {
      ParleyServer server = ParleyServer.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "parley-shutdown"));
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
}
