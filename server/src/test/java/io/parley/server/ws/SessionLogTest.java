package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** One INFO line when a session opens and one when it closes, with the session and user in the MDC. */
@Timeout(60)
class SessionLogTest {

  @Test
  void openAndCloseLinesCarryIdUserAddressCodeAndCounts() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(SessionLifecycle.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withNats(null, "node-log"))) {
      try (WsClient ws = WsClient.connect(java.net.URI.create(server.wsUri() + "?token=not-for-logs"))) {
        ws.result("session.hello", "{\"name\":\"lena\"}");
        ws.call("echo", "[1]");
      }
      List<ILoggingEvent> closes = awaitEvents(appender, " closed: ");
      ILoggingEvent opened = appender.list.stream().filter(e -> e.getFormattedMessage().contains(" opened: "))
          .findFirst().orElseThrow();
      ILoggingEvent closed = closes.get(0);
      String id = opened.getMDCPropertyMap().get(SessionMdc.SESSION);
      assertThat(id).matches("[0-9a-f]{16}");
      assertThat(opened.getFormattedMessage()).startsWith("session " + id + " opened: user=guest-")
          .contains("address=127.0.0.1", "node=node-log");
      assertThat(closed.getMDCPropertyMap()).containsEntry(SessionMdc.SESSION, id).containsEntry(SessionMdc.USER, "lena");
      assertThat(closed.getFormattedMessage()).startsWith("session " + id + " closed: code=1000 ")
          .contains("user=lena", "address=127.0.0.1", "node=node-log", "in=2", "out=2")
          .containsPattern("duration=\\d+ms");
      assertThat(List.copyOf(appender.list)).allMatch(e -> !e.getFormattedMessage().contains("not-for-logs"));
    } finally {
      logger.detachAppender(appender);
    }
  }

  /** Waits (at most 10 s) for log events containing {@code text}: the close line follows the close handshake. */
  private static List<ILoggingEvent> awaitEvents(ListAppender<ILoggingEvent> appender, String text)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      List<ILoggingEvent> found;
      synchronized (appender) {
        found = appender.list.stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
      }
      if (!found.isEmpty()) {
        return found;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    throw new AssertionError("no log line containing \"" + text + "\" within 10 s: " + appender.list);
  }
}
