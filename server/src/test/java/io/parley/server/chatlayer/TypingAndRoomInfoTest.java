package io.parley.server.chatlayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Contract 1.1 {@code chat.typing} and {@code room.info} on one node, over WebSocket and HTTP. */
@Timeout(60)
class TypingAndRoomInfoTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String typing(String room) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"chat.typing\",\"params\":{\"room\":\"" + room + "\"}}";
  }

  /** Counts {@code chat.typing} frames that came before {@code marker}'s chat.message (which consumes it). */
  private static int typingsBefore(WsClient client, String marker) {
    int[] seen = {0};
    client.await(f -> {
      if (!f.has("method")) {
        return false;
      }
      String method = f.get("method").getAsString();
      if ("chat.typing".equals(method)) {
        seen[0]++;
        return false;
      }
      return "chat.message".equals(method) && marker.equals(f.getAsJsonObject("params").get("text").getAsString());
    });
    return seen[0];
  }

  @Test
  void aTypingNotificationReachesTheOtherMembersOnly() {
    try (WsClient ann = server.member("ann", "typing-room"); WsClient bob = server.member("bob", "typing-room")) {
      ann.send(typing("typing-room"));
      JsonObject seen = bob.awaitNotification("chat.typing");
      assertThat(seen.get("room").getAsString()).isEqualTo("typing-room");
      assertThat(seen.get("user").getAsString()).isEqualTo("ann");
      ann.result("chat.send", "{\"room\":\"typing-room\",\"text\":\"marker-1\"}");
      assertThat(typingsBefore(ann, "marker-1")).as("the typer hears nothing of its own typing").isZero();
    }
  }

  @Test
  void atMostOneTypingPerSessionAndRoomPerSecondIsRelayed() {
    try (WsClient ann = server.member("ann", "typing-burst"); WsClient bob = server.member("bob", "typing-burst")) {
      long started = System.nanoTime();
      StringBuilder burst = new StringBuilder("[");
      for (int i = 0; i < 20; i++) {
        burst.append(i == 0 ? "" : ",").append(typing("typing-burst"));
      }
      ann.send(burst.append("]").toString());
      JsonObject answer = ann.call("chat.typing", "{\"room\":\"typing-burst\"}");
      assertThat(answer.getAsJsonObject("result").get("room").getAsString()).isEqualTo("typing-burst");
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      ann.result("chat.send", "{\"room\":\"typing-burst\",\"text\":\"marker-2\"}");
      int relayed = typingsBefore(bob, "marker-2");
      // 21 typings: one relayed, plus one for every whole second a slow machine took to send them.
      assertThat(relayed).isBetween(1, 1 + (int) seconds + 1);
    }
  }

  @Test
  void typingNeedsMembershipAndASession() {
    try (WsClient eve = server.connect(); WsClient ann = server.member("ann", "typing-closed")) {
      JsonObject refused = eve.call("chat.typing", "{\"room\":\"typing-closed\"}");
      assertThat(refused.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
      HttpResponse<String> overHttp = server.post("/rpc",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.typing\",\"params\":{\"room\":\"typing-closed\"}}");
      assertThat(overHttp.body()).contains("-32600");
      eve.send(typing("typing-closed")); // a notification from a non-member: dropped without a word
      ann.result("chat.send", "{\"room\":\"typing-closed\",\"text\":\"marker-3\"}");
      assertThat(typingsBefore(ann, "marker-3")).isZero();
      assertThat(eve.poll(f -> f.has("method"), Duration.ofMillis(200))).as("nothing comes back to eve").isNull();
    }
  }

  @Test
  void roomInfoCountsUsersAndSessionsAndAnyoneMayAsk() {
    try (WsClient ann = server.member("ann", "info-room"); WsClient ann2 = server.member("ann", "info-room");
        WsClient bob = server.member("bob", "info-room"); WsClient outsider = server.connect()) {
      ann.result("chat.send", "{\"room\":\"info-room\",\"text\":\"one\"}");
      bob.result("chat.send", "{\"room\":\"info-room\",\"text\":\"two\"}");
      assertThat(ann2.awaitNotification("chat.message").get("text").getAsString()).isEqualTo("one");
      JsonObject info = outsider.result("room.info", "{\"room\":\"info-room\"}");
      assertThat(info.get("room").getAsString()).isEqualTo("info-room");
      assertThat(info.get("seq").getAsLong()).isEqualTo(2);
      assertThat(info.get("rev").getAsLong()).isZero();
      assertThat(info.get("members").getAsInt()).isEqualTo(2);
      assertThat(info.get("sessions").getAsInt()).isEqualTo(3);
      HttpResponse<String> overHttp = server.post("/rpc",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.info\",\"params\":{\"room\":\"info-room\"}}");
      assertThat(overHttp.body()).contains("\"sessions\":3", "\"members\":2", "\"seq\":2");
      JsonObject empty = outsider.result("room.info", "{\"room\":\"nobody-here\"}");
      assertThat(empty.get("seq").getAsLong()).isZero();
      assertThat(empty.get("sessions").getAsInt()).isZero();
      JsonObject bad = outsider.call("room.info", "{\"room\":\"bad room\"}");
      assertThat(bad.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32602);
    }
  }
}
