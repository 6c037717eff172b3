package io.parley.server.chatlayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.auth.Tokens;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deletions in token mode: the author, or a token with {@code "admin": true}; nobody else. */
@Timeout(60)
class ChangesTokenTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsClient member(String token, String room) {
    WsClient client = server.connect();
    client.result("session.hello", "{\"token\":\"" + token + "\"}");
    client.result("room.join", "{\"room\":\"" + room + "\"}");
    return client;
  }

  @Test
  void anAdministratorsTokenDeletesAnotherUsersMessageAndNoOtherDoes() {
    try (WsClient ann = member(Tokens.valid("ann"), "mod"); WsClient bob = member(Tokens.broadcaster("bob"), "mod");
        WsClient root = member(Tokens.withFlag("root", "admin", true), "mod")) {
      ann.result("chat.send", "{\"room\":\"mod\",\"text\":\"spam\"}");
      JsonObject refused = bob.call("chat.delete", "{\"room\":\"mod\",\"seq\":1}").getAsJsonObject("error");
      assertThat(refused.get("code").getAsInt()).as("broadcast is not admin").isEqualTo(-32002);
      assertThat(refused.get("message").getAsString()).contains("only the author");
      assertThat(root.call("chat.edit", "{\"room\":\"mod\",\"seq\":1,\"text\":\"x\"}").getAsJsonObject("error")
          .get("code").getAsInt()).as("an administrator deletes, it does not edit").isEqualTo(-32002);
      assertThat(root.result("chat.delete", "{\"room\":\"mod\",\"seq\":1}").get("changed").getAsBoolean()).isTrue();
      JsonObject change = ann.awaitNotification("chat.change");
      assertThat(change.get("kind").getAsString()).isEqualTo("delete");
      assertThat(change.get("user").getAsString()).isEqualTo("root");
    }
  }
}
