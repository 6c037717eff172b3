package io.parley.server.chatlayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Contract 1.1 {@code room.read}: forward only, told to the others, answered by joins, kept over a restart. */
@Timeout(60)
class ReadPositionsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void send(WsClient client, String room, int count) {
    for (int i = 0; i < count; i++) {
      client.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"m" + i + "\"}");
    }
  }

  private static JsonObject read(WsClient client, String room, long seq) {
    return client.call("room.read", "{\"room\":\"" + room + "\",\"seq\":" + seq + "}");
  }

  @Test
  void aPositionMovesOnlyForwardAndTheOthersHearOfEachMove() {
    try (WsClient ann = server.member("ann", "reads"); WsClient bob = server.member("bob", "reads")) {
      send(bob, "reads", 5);
      assertThat(read(ann, "reads", 3).getAsJsonObject("result").get("seq").getAsLong()).isEqualTo(3);
      JsonObject heard = bob.awaitNotification("room.read");
      assertThat(heard.get("user").getAsString()).isEqualTo("ann");
      assertThat(heard.get("seq").getAsLong()).isEqualTo(3);
      assertThat(heard.get("room").getAsString()).isEqualTo("reads");

      assertThat(read(ann, "reads", 1).getAsJsonObject("result").get("seq").getAsLong())
          .as("a lower seq changes nothing").isEqualTo(3);
      assertThat(read(ann, "reads", 5).getAsJsonObject("result").get("seq").getAsLong()).isEqualTo(5);
      JsonObject next = bob.awaitNotification("room.read");
      assertThat(next.get("seq").getAsLong()).as("no notification for the mark that moved nothing").isEqualTo(5);
      assertThat(ann.hasPending("room.read")).as("the reader is not told of its own read").isFalse();
    }
  }

  @Test
  void aSeqAboveTheRoomsLastIsRefusedAndOutsidersAreForbidden() {
    try (WsClient ann = server.member("ann", "reads-bad"); WsClient eve = server.connect()) {
      send(ann, "reads-bad", 2);
      JsonObject above = read(ann, "reads-bad", 3).getAsJsonObject("error");
      assertThat(above.get("code").getAsInt()).isEqualTo(-32602);
      assertThat(above.get("message").getAsString()).contains("last seq 2", "got 3");
      assertThat(read(ann, "reads-bad", -1).getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32602);
      assertThat(read(eve, "reads-bad", 1).getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
      assertThat(server.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.read\",\"params\":"
          + "{\"room\":\"reads-bad\",\"seq\":1}}").body()).contains("-32600");
      JsonObject join = ann.result("room.join", "{\"room\":\"reads-bad\"}");
      assertThat(join.get("lastRead").getAsLong()).as("nothing was stored").isZero();
    }
  }

  @Test
  void aJoinAnswersTheUsersPositionWhichSurvivesARestart() {
    try (WsClient ann = server.member("ann", "reads-kept")) {
      send(ann, "reads-kept", 4);
      read(ann, "reads-kept", 4);
    }
    try (WsClient again = server.connect()) {
      again.result("session.hello", "{\"name\":\"ann\"}");
      assertThat(again.result("room.join", "{\"room\":\"reads-kept\"}").get("lastRead").getAsLong()).isEqualTo(4);
    }
    server = server.restart();
    try (WsClient afterRestart = server.connect(); WsClient bob = server.connect()) {
      afterRestart.result("session.hello", "{\"name\":\"ann\"}");
      assertThat(afterRestart.result("room.join", "{\"room\":\"reads-kept\",\"since\":0}").get("lastRead").getAsLong())
          .isEqualTo(4);
      bob.result("session.hello", "{\"name\":\"bob\"}");
      assertThat(bob.result("room.join", "{\"room\":\"reads-kept\"}").get("lastRead").getAsLong())
          .as("per user").isZero();
    }
  }
}
