package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SmokeTest {

  @Test
  void echoJoinSendOverWebSocket() {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED);
        WsClient alice = server.connect();
        WsClient bob = server.connect()) {
      assertThat(alice.result("echo", "{\"a\":[1,null]}").toString()).isEqualTo("{\"a\":[1,null]}");
      alice.result("session.hello", "{\"name\":\"alice\"}");
      bob.result("session.hello", "{\"name\":\"bob\"}");
      alice.result("room.join", "{\"room\":\"lobby\"}");
      JsonObject joined = bob.result("room.join", "{\"room\":\"lobby\"}");
      assertThat(joined.get("members").toString()).isEqualTo("[\"alice\",\"bob\"]");
      assertThat(alice.awaitNotification("room.joined").get("user").getAsString()).isEqualTo("bob");
      JsonObject sent = alice.result("chat.send", "{\"room\":\"lobby\",\"text\":\"hi\"}");
      assertThat(sent.get("seq").getAsLong()).isEqualTo(1);
      JsonObject note = bob.awaitNotification("chat.message");
      assertThat(note).isEqualTo(sent);
      assertThat(alice.awaitNotification("chat.message")).isEqualTo(sent);
    }
  }
}
