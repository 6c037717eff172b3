package io.parley.server.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Captures what one Logback logger (and the loggers below it) writes, for tests of log lines;
 * detached on close. Lines written after a request or a close has completed come a little later
 * than the answer, hence the bounded waits.
 */
public final class LogCapture implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures {@code loggerName} ({@link org.slf4j.Logger#ROOT_LOGGER_NAME}: everything). */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** The events captured so far. */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** Waits (at most 10 s) for events whose message contains {@code text}; fails if none comes. */
  public List<ILoggingEvent> awaitContaining(String text) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      List<ILoggingEvent> found = events().stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
      if (!found.isEmpty()) {
        return found;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no log line containing \"" + text + "\" within 10 s: " + events());
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  /** Waits (at most 10 s) until {@code n} events were captured; returns the messages so far either way. */
  public List<String> awaitMessages(int n) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      List<String> messages = events().stream().map(ILoggingEvent::getFormattedMessage).toList();
      if (messages.size() >= n || Instant.now().isAfter(deadline)) {
        return messages;
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
