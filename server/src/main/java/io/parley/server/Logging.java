package io.parley.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.parley.server.config.ServerConfig;
import io.parley.server.config.ServerConfig.LogFormat;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code PARLEY_LOG_LEVEL} and {@code PARLEY_LOG_FORMAT}: sets the system properties the
 * Logback files read ({@value #LEVEL}, {@value #LIBRARIES}) and loads {@code logback.xml} (text)
 * or {@code logback-json.xml} again, so the settings hold even if something logged before they
 * were known. Called once by {@link Main} before the server starts; tests configure Logback their
 * own way.
 */
final class Logging {
  static final String LEVEL = "parley.log.level";
  static final String LIBRARIES = "parley.log.libraries";

  private Logging() {}

  /** Reconfigures Logback; returns false (changing nothing) when SLF4J is bound to something else. */
  static boolean apply(ServerConfig config) {
    System.setProperty(LEVEL, config.logLevel());
    // Jetty, HikariCP and Flyway are chatty below WARN; they follow only when the level is stricter.
    System.setProperty(LIBRARIES, "ERROR".equals(config.logLevel()) ? "ERROR" : "WARN");
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL file = Logging.class.getResource(config.logFormat() == LogFormat.JSON ? "/logback-json.xml" : "/logback.xml");
    if (!(factory instanceof LoggerContext context) || file == null) {
      return false;
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(file);
    } catch (JoranException e) {
      throw new IllegalStateException(file + " did not load: " + e.getMessage(), e);
    }
    return true;
  }
}
