package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session the server gives up on leaves its rooms at once, not when its closing handshake ends:
 * a member that stopped reading never reads the close frame either, so waiting for the handshake
 * kept it in {@code room.members}, with no {@code room.left}, until its socket was dropped.
 */
@Timeout(60)
class DepartureTest {
  private static final Pattern SESSIONS = Pattern.compile("(?m)^parley_sessions(\\{[^}]*\\})? (\\S+)$");
  private static final String BIG = "x".repeat(4000);

  @Test
  void aMemberClosedWith1013LeavesItsRoomsWhileItsConnectionIsStillOpen() throws Exception {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED,
            c -> c.toBuilder().outboundLimit(16 * 1024).build());
        WsClient watcher = server.connect();
        RawWebSocket stalled = RawWebSocket.connect(server.port(), 4096)) {
      stalled.sendText(Wire.request("1", "session.hello", "{\"name\":\"stalled\"}"));
      assertThat(stalled.read().text()).contains("\"result\"");
      stalled.sendText(Wire.request("2", "room.join", "{\"room\":\"hall\"}"));
      assertThat(stalled.read().text()).contains("\"seq\"");
      watcher.result("session.hello", "{\"name\":\"watcher\"}");
      watcher.result("room.join", "{\"room\":\"hall\"}");
      assertThat(users(watcher)).contains("stalled");

      // The stalled member reads nothing from here on: the kernel's buffers fill, then its queue.
      JsonObject send = new JsonObject();
      send.addProperty("room", "hall");
      send.addProperty("text", BIG);
      for (int i = 0; i < 5_000 && !watcher.hasPending("room.left"); i++) {
        watcher.result("chat.send", send);
      }
      JsonObject left = watcher.await(o -> o.has("method") && "room.left".equals(o.get("method").getAsString()),
          Duration.ofSeconds(10));
      assertThat(left.getAsJsonObject("params").get("user").getAsString()).isEqualTo("stalled");

      // Its socket is still open (it is aborted only seconds later, when its close frame could not
      // be written): the departure did not wait for the connection to end.
      assertThat(openSessions(server)).as("sessions still open when room.left arrived").isEqualTo(2);
      assertThat(users(watcher)).containsExactly("watcher");
    }
  }

  private static java.util.List<String> users(WsClient member) {
    JsonObject result = member.result("room.members", "{\"room\":\"hall\"}");
    return result.getAsJsonArray("members").asList().stream().map(e -> e.getAsString()).toList();
  }

  private static int openSessions(TestServer server) {
    Matcher m = SESSIONS.matcher(server.get("/metrics").body());
    assertThat(m.find()).as("parley_sessions on /metrics").isTrue();
    return (int) Double.parseDouble(m.group(2));
  }
}
