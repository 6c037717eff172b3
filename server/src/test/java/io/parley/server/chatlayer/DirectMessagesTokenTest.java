package io.parley.server.chatlayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.auth.Tokens;
import io.parley.server.chat.DirectRooms;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Direct messages in token mode: the users are the tokens' subjects; a token without a rooms
 * claim may write to anyone, a token with one only in the conversations it lists.
 */
@Timeout(60)
class DirectMessagesTokenTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsClient as(String token) {
    WsClient client = server.connect();
    client.result("session.hello", "{\"token\":\"" + token + "\"}");
    return client;
  }

  @Test
  void aRestrictedTokenWritesOnlyInTheConversationsItLists() {
    String annBob = DirectRooms.name("ann", "bob");
    assertThat(annBob).isEqualTo(DirectRooms.name("bob", "ann"));
    try (WsClient ann = as(Tokens.valid("ann")); WsClient bob = as(Tokens.forRooms("bob", "lobby", annBob));
        WsClient cid = as(Tokens.forRooms("cid", "lobby"))) {
      JsonObject sent = ann.result("dm.send", "{\"to\":\"bob\",\"text\":\"hi\"}");
      assertThat(sent.get("room").getAsString()).isEqualTo(annBob);
      assertThat(bob.awaitNotification("chat.message").get("from").getAsString()).isEqualTo("ann");
      assertThat(bob.result("dm.send", "{\"to\":\"ann\",\"text\":\"hi ann\"}").get("seq").getAsLong()).isEqualTo(2);

      JsonObject refused = cid.call("dm.send", "{\"to\":\"ann\",\"text\":\"psst\"}").getAsJsonObject("error");
      assertThat(refused.get("code").getAsInt()).isEqualTo(-32002);
      assertThat(refused.get("message").getAsString()).contains("rooms claim");
      assertThat(bob.call("dm.send", "{\"to\":\"cid\",\"text\":\"x\"}").getAsJsonObject("error").get("code").getAsInt())
          .as("bob's token lists only his conversation with ann").isEqualTo(-32002);
      // Others may write to a restricted user; its restricted sessions neither get nor list it.
      String annCid = ann.result("dm.send", "{\"to\":\"cid\",\"text\":\"for cid\"}").get("room").getAsString();
      assertThat(cid.result("dm.list", "{}").getAsJsonArray("conversations")).isEmpty();
      assertThat(cid.call("room.join", "{\"room\":\"" + annCid + "\"}").getAsJsonObject("error").get("code").getAsInt())
          .isEqualTo(-32002);
      try (WsClient cidFree = as(Tokens.valid("cid"))) {
        assertThat(cidFree.result("dm.list", "{}").getAsJsonArray("conversations")).hasSize(1);
        ann.result("dm.send", "{\"to\":\"cid\",\"text\":\"again\"}");
        assertThat(cidFree.awaitNotification("chat.message").get("seq").getAsLong()).isEqualTo(2);
      }
      assertThat(cid.hasPending("chat.message")).isFalse();
    }
  }

  @Test
  void theRoomNameIsTheDocumentedHashOfTheSortedPair() {
    // dm. + the first 16 bytes of SHA-256("ann\nbob") in hex, as docs/protocol.md says.
    assertThat(DirectRooms.name("bob", "ann")).isEqualTo("dm.97049da5464956062d0e94be5f061ee5");
  }
}
