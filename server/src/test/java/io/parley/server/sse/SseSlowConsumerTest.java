package io.parley.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.parley.server.testing.SseClient;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream that is not read is a slow consumer like a WebSocket that is not read: past the
 * session's notification bound it is closed (instead of a 1013) and leaves its rooms, while the
 * room's other members, over either transport, keep getting every message.
 */
@Timeout(90)
class SseSlowConsumerTest {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final Pattern SESSION = Pattern.compile("\"session\":\"([^\"]+)\"");
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().outboundLimit(256 * 1024).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aNonReadingStreamIsClosedAndTheOthersAreUnaffected() throws Exception {
    String room = "slow-sse";
    try (Socket slow = new Socket(); WsClient ws = server.connect(); SseClient reader = SseClient.open(server, "name=rhea")) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      slow.setSoTimeout(10_000);
      OutputStream out = slow.getOutputStream();
      out.write(("GET /events?name=sloth HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String session = firstSessionId(slow.getInputStream());

      ws.result("session.hello", "{\"name\":\"wes\"}");
      ws.result("room.join", "{\"room\":\"" + room + "\"}");
      reader.result("room.join", JsonParser.parseString("{\"room\":\"" + room + "\"}"));
      HttpResponse<String> joined = reader.post(session,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"" + room + "\"}}");
      assertThat(joined.body()).contains("\"result\"");
      ws.awaitNotification("room.joined"); // rhea
      ws.awaitNotification("room.joined"); // sloth

      String body = "{\"text\":\"" + "x".repeat(4000) + "\"}";
      Instant deadline = Instant.now().plus(WAIT);
      long lastSeq = 0;
      // Publishes until sloth's queued notifications pass 256 KiB on top of what the sockets' buffers hold.
      while (!slothLeft(ws)) {
        assertThat(Instant.now()).as("sloth left within %s", WAIT).isBefore(deadline);
        for (int i = 0; i < 20; i++) {
          HttpResponse<String> posted = server.post("/api/rooms/" + room + "/messages", body);
          assertThat(posted.statusCode()).isLessThan(300);
          lastSeq = JsonParser.parseString(posted.body()).getAsJsonObject().get("seq").getAsLong();
        }
      }
      long last = lastSeq;
      reader.awaitMessage(room, last);
      ws.await(f -> f.has("method") && "chat.message".equals(f.get("method").getAsString())
          && f.getAsJsonObject("params").get("seq").getAsLong() == last, WAIT);
      assertThat(reader.result("room.members", JsonParser.parseString("{\"room\":\"" + room + "\"}"))
          .getAsJsonArray("members").toString()).contains("rhea", "wes").doesNotContain("sloth");
      // Counted once the stream has ended: its close waits behind what it never read, up to the close grace.
      Pattern counted = Pattern.compile("parley_sessions_closed_total\\{code=\"1013\"[^}]*} [1-9]");
      Instant countedBy = Instant.now().plus(WAIT);
      while (!counted.matcher(server.get("/metrics").body()).find()) {
        assertThat(Instant.now()).as("the 1013 close counted within %s", WAIT).isBefore(countedBy);
        ws.poll(f -> false, Duration.ofMillis(100)); // a bounded pause that also drains wes's frames
      }
    }
  }

  private static boolean slothLeft(WsClient ws) {
    return ws.hasPending("room.left") && ws.poll(f -> f.has("method") && "room.left".equals(f.get("method").getAsString())
        && "sloth".equals(f.getAsJsonObject("params").get("user").getAsString()), Duration.ZERO) != null;
  }

  /** Reads the raw stream until its first event names the session; bounded, since comments keep it alive. */
  private static String firstSessionId(InputStream in) throws Exception {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[256];
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      assertThat(Instant.now()).as("the stream's first event within 10 s: %s", seen).isBefore(deadline);
      int n = in.read(buffer);
      assertThat(n).as("the stream's first event before it ended: %s", seen).isPositive();
      seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      Matcher m = SESSION.matcher(seen);
      if (m.find()) {
        return m.group(1);
      }
    }
  }
}
