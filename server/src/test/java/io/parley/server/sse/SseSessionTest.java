package io.parley.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.LogCapture;
import io.parley.server.testing.SseClient;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions over Server-Sent Events in open mode, against a WebSocket user in the same rooms: the
 * contract's fallback transport is a full session (rooms, presence, recovery), and its calls act in
 * it only through its own id.
 */
@Timeout(60)
class SseSessionTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject params(String json) {
    return JsonParser.parseString(json).getAsJsonObject();
  }

  @Test
  void anSseUserAndAWebSocketUserChatBothWays() {
    try (SseClient sse = SseClient.open(server, "name=sara"); WsClient ws = server.connect()) {
      assertThat(sse.user()).isEqualTo("sara");
      assertThat(sse.session()).matches("[A-Za-z0-9_-]+\\.[0-9a-f]{32}");
      ws.result("session.hello", "{\"name\":\"walt\"}");
      ws.result("room.join", "{\"room\":\"both-ways\"}");
      JsonObject joined = sse.result("room.join", params("{\"room\":\"both-ways\"}"));
      assertThat(joined.getAsJsonArray("members").toString()).contains("sara", "walt");

      JsonObject sent = sse.result("chat.send", params("{\"room\":\"both-ways\",\"text\":\"hello from sse\"}"));
      assertThat(sent.get("from").getAsString()).isEqualTo("sara");
      long seq = sent.get("seq").getAsLong();
      JsonObject atWs = ws.awaitNotification("chat.message");
      assertThat(atWs.get("text").getAsString()).isEqualTo("hello from sse");
      SseClient.Event own = sse.awaitMessage("both-ways", seq);
      assertThat(own.id()).isEqualTo("both-ways:" + seq);

      JsonObject reply = ws.result("chat.send", "{\"room\":\"both-ways\",\"text\":\"hello from ws\"}");
      SseClient.Event back = sse.awaitMessage("both-ways", reply.get("seq").getAsLong());
      assertThat(back.json().getAsJsonObject("params").get("from").getAsString()).isEqualTo("walt");
      assertThat(back.json().getAsJsonObject("params").get("text").getAsString()).isEqualTo("hello from ws");
      assertThat(back.id()).isEqualTo("both-ways:" + reply.get("seq").getAsLong());
    }
  }

  @Test
  void presenceCoversBothTransports() {
    try (WsClient ws = server.connect()) {
      ws.result("session.hello", "{\"name\":\"wanda\"}");
      ws.result("room.join", "{\"room\":\"presence-both\"}");
      SseClient sse = SseClient.open(server, "name=simon");
      try {
        sse.result("room.join", params("{\"room\":\"presence-both\"}"));
        JsonObject joined = ws.awaitNotification("room.joined");
        assertThat(joined.get("user").getAsString()).isEqualTo("simon");
        assertThat(ws.result("room.members", "{\"room\":\"presence-both\"}").getAsJsonArray("members").toString())
            .contains("simon", "wanda");
        try (WsClient other = server.connect()) {
          other.result("session.hello", "{\"name\":\"otto\"}");
          other.result("room.join", "{\"room\":\"presence-both\"}");
          assertThat(sse.awaitNotification("room.joined").get("user").getAsString()).isEqualTo("otto");
        }
        assertThat(sse.awaitNotification("room.left").get("user").getAsString()).isEqualTo("otto");
      } finally {
        sse.close();
      }
      // A stream cut by the client is noticed at the latest by the next keep-alive comment that cannot be written.
      JsonObject left = ws.await(f -> f.has("method") && "room.left".equals(f.get("method").getAsString())
          && "simon".equals(f.getAsJsonObject("params").get("user").getAsString()), Duration.ofSeconds(40))
          .getAsJsonObject("params");
      assertThat(left.get("room").getAsString()).isEqualTo("presence-both");
    }
  }

  @Test
  void aCutStreamIsRecoveredByJoiningWithSinceWithoutGap() {
    String room = "recover-sse";
    long lastSeen;
    try (WsClient ws = server.connect()) {
      ws.result("room.join", "{\"room\":\"" + room + "\"}");
      try (SseClient first = SseClient.open(server, "name=rita")) {
        first.result("room.join", params("{\"room\":\"" + room + "\"}"));
        long seq = ws.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"before the cut\"}").get("seq")
            .getAsLong();
        first.awaitMessage(room, seq);
        lastSeen = seq;
      }
      for (int i = 0; i < 5; i++) {
        ws.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"while away " + i + "\"}");
      }
      try (SseClient second = SseClient.open(server, "name=rita")) {
        JsonObject joined = second.result("room.join", params("{\"room\":\"" + room + "\",\"since\":" + lastSeen + "}"));
        List<Long> missed = joined.getAsJsonArray("missed").asList().stream()
            .map(m -> m.getAsJsonObject().get("seq").getAsLong()).toList();
        assertThat(missed).containsExactly(lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4, lastSeen + 5);
        long live = ws.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"after\"}").get("seq").getAsLong();
        assertThat(live).isEqualTo(lastSeen + 6);
        second.awaitMessage(room, live);
        assertThat(second.poll(e -> e.data().contains("\"chat.message\"") && !e.id().equals(room + ":" + live),
            Duration.ZERO)).as("no message twice: the stream carries only what came after the join").isNull();
      }
    }
  }

  @Test
  void aStreamGetsKeepAliveComments() {
    try (SseClient sse = SseClient.open(server, "")) {
      assertThat(sse.user()).startsWith("guest-");
      sse.awaitComments(1, Duration.ofSeconds(16));
    }
  }

  @Test
  void callsWithoutAnOpenStreamSessionAre404AndWebSocketSessionsCannotBeBorrowed() {
    try (SseClient sse = SseClient.open(server, ""); WsClient ws = server.connect()) {
      String wsSession = ws.result("session.hello", "{\"name\":\"wendy\"}").get("session").getAsString();
      String join = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"borrowed\"}}";
      HttpResponse<String> borrowed = sse.post(wsSession, join);
      assertThat(borrowed.statusCode()).isEqualTo(404);
      assertThat(borrowed.body()).contains("Parley-Session").doesNotContain("Exception");
      assertThat(sse.post("0123456789abcdef0123456789abcdef", join).statusCode()).isEqualTo(404);
      assertThat(sse.post(sse.session().replace('.', '-'), join).statusCode()).isEqualTo(404);
      ws.result("room.join", "{\"room\":\"borrowed\"}");
      assertThat(ws.result("room.members", "{\"room\":\"borrowed\"}").getAsJsonArray("members").asList())
          .as("the calls that named wendy's WebSocket session did not act in it").hasSize(1);
    }
  }

  @Test
  void onlyTheWholeNameActsAndLogsShowOnlyItsPublicHalf() {
    try (LogCapture log = LogCapture.of("io.parley.server.ws.SessionLifecycle")) {
      String name;
      try (SseClient sse = SseClient.open(server, "name=nora")) {
        name = sse.session();
        String node = name.substring(0, name.indexOf('.') + 1);
        String hex = name.substring(node.length());
        String id = hex.substring(0, 16);
        String join = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"halves\"}}";
        assertThat(sse.post(node + id, join).statusCode()).as("the public id alone").isEqualTo(404);
        assertThat(sse.post("another-node." + hex, join).statusCode()).as("another node's name").isEqualTo(404);
        String wrong = node + id + (hex.charAt(16) == '0' ? '1' : '0') + hex.substring(17);
        assertThat(sse.post(wrong, join).statusCode()).as("a wrong secret").isEqualTo(404);
        assertThat(sse.call("session.hello", null).getAsJsonObject("result").get("session").getAsString())
            .as("session.hello names the session by its public id, as the logs do").isEqualTo(id);
        log.awaitContaining("session " + id + " opened");
      }
      List<ILoggingEvent> closes = log.awaitContaining(" closed: ");
      assertThat(log.events()).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(name.substring(name.length() - 16)));
      assertThat(closes).isNotEmpty();
    }
  }

  @Test
  void aBadNameIsRefusedWith400() throws Exception {
    HttpResponse<java.io.InputStream> answer = SseClient.request(server, "name=%E2%80%AEevil", java.util.Map.of());
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(new String(answer.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("name");
  }

  @Test
  void aPlainGetOfWsTellsWhetherAnUpgradeWouldBeAccepted() {
    HttpResponse<String> probe = server.get("/ws");
    assertThat(probe.statusCode()).isEqualTo(426);
    assertThat(probe.headers().firstValue("upgrade")).hasValue("websocket");
    assertThat(probe.body()).contains("WebSocket upgrade");
    HttpResponse<String> foreign = server.send(java.net.http.HttpRequest.newBuilder(server.httpUri("/ws"))
        .header("Origin", "https://elsewhere.example").GET().build());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(server.post("/ws", "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void headOfEventsAnswersWhatAGetWouldWithoutOpeningAnything() {
    try (LogCapture log = LogCapture.of("io.parley.server.ws.SessionLifecycle")) {
      HttpResponse<String> ok = server.send(java.net.http.HttpRequest.newBuilder(server.httpUri("/events?name=hedy"))
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
      assertThat(ok.statusCode()).isEqualTo(204);
      HttpResponse<String> badName = server.send(java.net.http.HttpRequest.newBuilder(
          server.httpUri("/events?name=%E2%80%AEevil")).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
          .build());
      assertThat(badName.statusCode()).isEqualTo(400);
      // A session is logged as it opens, before its stream's first byte: none was.
      assertThat(log.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("user=hedy"));
    }
  }

  @Test
  void otherMethodsOnEventsAre405() {
    HttpResponse<String> post = server.post("/events", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void batchesAndErrorsAnswerOnThePost() {
    try (SseClient sse = SseClient.open(server, "name=bea")) {
      HttpResponse<String> answer = sse.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":"
          + "{\"room\":\"batchy\"}},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"chat.send\",\"params\":{\"room\":\"batchy\"}}]");
      assertThat(answer.statusCode()).isEqualTo(200);
      Set<Integer> codes = new HashSet<>();
      JsonParser.parseString(answer.body()).getAsJsonArray().forEach(r -> {
        if (r.getAsJsonObject().has("error")) {
          codes.add(r.getAsJsonObject().getAsJsonObject("error").get("code").getAsInt());
        }
      });
      assertThat(codes).containsExactly(-32602);
    }
  }
}
