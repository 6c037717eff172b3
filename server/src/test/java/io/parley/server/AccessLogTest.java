package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.config.ConfigParser;
import io.parley.server.testing.LogCapture;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code PARLEY_ACCESS_LOG=on}: a line per request, upgrades included, and never a query string. */
@Timeout(60)
class AccessLogTest {

  @Test
  void everyRequestGetsALineWithoutItsQuery() throws Exception {
    try (LogCapture log = LogCapture.of(AccessLog.LOGGER);
        TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().accessLog(true).build())) {
      assertThat(server.get("/health?token=secret-in-a-query").statusCode()).isEqualTo(200);
      assertThat(server.get("/no-such-page").statusCode()).isEqualTo(404);
      try (WsClient ws = WsClient.connect(URI.create(server.wsUri() + "?token=secret-in-an-upgrade"))) {
        ws.call("echo", "[1]");
      }
      List<String> lines = log.awaitMessages(3);
      assertThat(lines).anyMatch(l -> l.startsWith("127.0.0.1 \"GET /health HTTP/1.1\" 200 "))
          .anyMatch(l -> l.contains("\"GET /no-such-page HTTP/1.1\" 404 "))
          .anyMatch(l -> l.contains("\"GET /ws HTTP/1.1\" 101 "))
          .allMatch(l -> !l.contains("secret") && !l.contains("?"));
    }
  }

  @Test
  void offByDefault() throws Exception {
    assertThat(ConfigParser.parse(new String[] {}, Map.of()).accessLog()).isFalse();
    assertThat(ConfigParser.parse(new String[] {"--access-log", "on"}, Map.of()).summary()).contains("accessLog=on");
  }
}
