package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.server.config.ConfigParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** {@code PARLEY_ACCESS_LOG=on}: a line per request, upgrades included, and never a query string. */
@Timeout(60)
class AccessLogTest {

  @Test
  void everyRequestGetsALineWithoutItsQuery() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().accessLog(true).build())) {
      assertThat(server.get("/health?token=secret-in-a-query").statusCode()).isEqualTo(200);
      assertThat(server.get("/no-such-page").statusCode()).isEqualTo(404);
      try (WsClient ws = WsClient.connect(URI.create(server.wsUri() + "?token=secret-in-an-upgrade"))) {
        ws.call("echo", "[1]");
      }
      List<String> lines = await(appender, 3);
      assertThat(lines).anyMatch(l -> l.startsWith("127.0.0.1 \"GET /health HTTP/1.1\" 200 "))
          .anyMatch(l -> l.contains("\"GET /no-such-page HTTP/1.1\" 404 "))
          .anyMatch(l -> l.contains("\"GET /ws HTTP/1.1\" 101 "))
          .allMatch(l -> !l.contains("secret") && !l.contains("?"));
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void offByDefault() throws Exception {
    assertThat(ConfigParser.parse(new String[] {}, Map.of()).accessLog()).isFalse();
    assertThat(ConfigParser.parse(new String[] {"--access-log", "on"}, Map.of()).summary()).contains("accessLog=on");
  }

  /** The access log is written once a request has completed: waits (at most 10 s) for {@code n} lines. */
  private static List<String> await(ListAppender<ILoggingEvent> appender, int n) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (true) {
      List<String> lines;
      synchronized (appender) {
        lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      }
      if (lines.size() >= n || Instant.now().isAfter(deadline)) {
        return lines;
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
