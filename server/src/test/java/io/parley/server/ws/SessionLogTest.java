package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.parley.server.testing.LogCapture;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One INFO line when a session opens and one when it closes, with the session and user in the MDC. */
@Timeout(60)
class SessionLogTest {

  @Test
  void openAndCloseLinesCarryIdUserAddressCodeAndCounts() throws Exception {
    try (LogCapture log = LogCapture.of(SessionLifecycle.class.getName());
        TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withNats(null, "node-log"))) {
      try (WsClient ws = WsClient.connect(java.net.URI.create(server.wsUri() + "?token=not-for-logs"))) {
        ws.result("session.hello", "{\"name\":\"lena\"}");
        ws.call("echo", "[1]");
      }
      List<ILoggingEvent> closes = log.awaitContaining(" closed: ");
      ILoggingEvent opened = log.events().stream().filter(e -> e.getFormattedMessage().contains(" opened: "))
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
      assertThat(log.events()).allMatch(e -> !e.getFormattedMessage().contains("not-for-logs"));
    }
  }
}
