package io.parley.server.chatlayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.SseClient;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract 1.1 direct messages on one node: {@code dm.send} reaches every session of both users
 * once, without a join; the conversation room is the pair's only; {@code dm.list} and a join with
 * {@code since} recover what a dropped session missed. Run on each store by a subclass.
 */
@Timeout(60)
abstract class DirectMessagesCases {
  static TestServer server;

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  static WsClient user(String name) {
    WsClient client = server.connect();
    client.result("session.hello", "{\"name\":\"" + name + "\"}");
    return client;
  }

  static JsonObject dm(WsClient client, String to, String text) {
    return client.result("dm.send", "{\"to\":\"" + to + "\",\"text\":\"" + text + "\"}");
  }

  /** The next chat.message this client gets, checked to be {@code seq} of {@code room}. */
  static JsonObject awaitMessage(WsClient client, String room, long seq) {
    JsonObject message = client.awaitNotification("chat.message");
    assertThat(message.get("room").getAsString()).isEqualTo(room);
    assertThat(message.get("seq").getAsLong()).isEqualTo(seq);
    return message;
  }

  static int errorCode(JsonObject reply) {
    return reply.getAsJsonObject("error").get("code").getAsInt();
  }

  @Test
  void twoUsersTalkWithoutJoiningAndEverySessionOfBothGetsEachMessageOnce() {
    try (WsClient ann1 = user("ann"); WsClient ann2 = user("ann"); WsClient bob1 = user("bob");
        WsClient bob2 = user("bob"); WsClient cid = user("cid")) {
      JsonObject sent = dm(ann1, "bob", "hi bob");
      String room = sent.get("room").getAsString();
      assertThat(room).matches("dm\\.[0-9a-f]{32}");
      assertThat(sent.get("to").getAsString()).isEqualTo("bob");
      assertThat(sent.get("from").getAsString()).isEqualTo("ann");
      assertThat(sent.get("seq").getAsLong()).isEqualTo(1);
      for (WsClient c : List.of(ann1, ann2, bob1, bob2)) {
        JsonObject got = awaitMessage(c, room, 1);
        assertThat(got.get("to").getAsString()).isEqualTo("bob");
        assertThat(got.get("text").getAsString()).isEqualTo("hi bob");
      }
      assertThat(dm(bob2, "ann", "hi ann").get("room").getAsString()).as("same pair, either order").isEqualTo(room);
      List.of(ann1, ann2, bob1, bob2).forEach(c -> assertThat(awaitMessage(c, room, 2).get("to").getAsString())
          .isEqualTo("ann"));

      // A session that joined the conversation room gets each message once all the same.
      JsonObject join = bob1.result("room.join", "{\"room\":\"" + room + "\",\"since\":2}");
      assertThat(join.get("seq").getAsLong()).isEqualTo(2);
      assertThat(join.getAsJsonArray("missed")).isEmpty();
      dm(ann2, "bob", "third");
      List.of(ann1, ann2, bob1, bob2).forEach(c -> awaitMessage(c, room, 3));
      // A chat.send by a participant in the room is a direct message too.
      JsonObject viaRoom = bob1.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"fourth\"}");
      assertThat(viaRoom.get("to").getAsString()).isEqualTo("ann");
      List.of(ann1, ann2, bob1, bob2).forEach(c -> awaitMessage(c, room, 4));
      for (WsClient c : List.of(ann1, ann2, bob1, bob2, cid)) {
        assertThat(c.hasPending("chat.message")).as("no message twice, none to others").isFalse();
      }
    }
  }

  @Test
  void aRepeatedClientIdStoresNothingNewAndOthersCannotUseTheRoom() {
    try (WsClient dan = user("dan"); WsClient eve = user("eve"); WsClient mal = user("mal")) {
      String params = "{\"to\":\"eve\",\"text\":\"once\",\"clientId\":\"c-1\"}";
      JsonObject first = dan.result("dm.send", params);
      JsonObject again = dan.result("dm.send", params);
      assertThat(again).isEqualTo(first);
      String room = first.get("room").getAsString();
      awaitMessage(eve, room, 1);
      dm(dan, "eve", "marker");
      assertThat(awaitMessage(eve, room, 2).get("text").getAsString()).as("the repeat was not delivered").isEqualTo("marker");

      assertThat(errorCode(mal.call("room.join", "{\"room\":\"" + room + "\",\"since\":0}"))).isEqualTo(-32002);
      assertThat(errorCode(mal.call("chat.history", "{\"room\":\"" + room + "\"}"))).isEqualTo(-32002);
      assertThat(errorCode(mal.call("chat.send", "{\"room\":\"" + room + "\",\"text\":\"x\"}"))).isEqualTo(-32002);
      assertThat(errorCode(mal.call("room.read", "{\"room\":\"" + room + "\",\"seq\":1}"))).isEqualTo(-32002);
      assertThat(errorCode(mal.call("room.info", "{\"room\":\"" + room + "\"}"))).isEqualTo(-32002);
      assertThat(eve.result("room.info", "{\"room\":\"" + room + "\"}").get("seq").getAsLong()).isEqualTo(2);
      String unknown = "dm.00000000000000000000000000000000";
      assertThat(errorCode(mal.call("room.join", "{\"room\":\"" + unknown + "\"}"))).as("nobody's room").isEqualTo(-32002);
      assertThat(server.get("/api/rooms/" + room + "/messages").statusCode()).isEqualTo(403);
      assertThat(mal.hasPending("chat.message")).isFalse();

      assertThat(eve.result("chat.history", "{\"room\":\"" + room + "\"}").getAsJsonArray("messages")).hasSize(2);
      assertThat(errorCode(dan.call("dm.send", "{\"to\":\"dan\",\"text\":\"me\"}"))).isEqualTo(-32602);
      assertThat(errorCode(dan.call("dm.send", "{\"to\":\"\",\"text\":\"x\"}"))).isEqualTo(-32602);
      assertThat(errorCode(dan.call("dm.send", "{\"text\":\"x\"}"))).isEqualTo(-32602);
      assertThat(errorCode(dan.call("dm.list", "{\"limit\":0}"))).isEqualTo(-32602);
      assertThat(errorCode(dan.call("dm.list", "{\"limit\":501}"))).isEqualTo(-32602);
      assertThat(server.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"dm.send\",\"params\":"
          + "{\"to\":\"eve\",\"text\":\"x\"}}").body()).contains("-32600");
    }
  }

  @Test
  void theListIsMostRecentFirstWithReadPositions() {
    try (WsClient gus = user("gus"); WsClient hal = user("hal")) {
      JsonObject toHal = dm(gus, "hal", "one");
      JsonObject toIvy = dm(gus, "ivy", "two");
      // dm.list orders by the time of the last message, to the millisecond: make the second later.
      while (toIvy.get("ts").getAsString().equals(toHal.get("ts").getAsString())) {
        toIvy = dm(gus, "ivy", "again");
      }
      String halRoom = toHal.get("room").getAsString();
      String ivyRoom = toIvy.get("room").getAsString();
      JsonArray list = gus.result("dm.list", "{}").getAsJsonArray("conversations");
      assertThat(rooms(list)).containsExactly(ivyRoom, halRoom);
      JsonObject top = list.get(0).getAsJsonObject();
      assertThat(top.get("with").getAsString()).isEqualTo("ivy");
      assertThat(top.get("seq").getAsLong()).isEqualTo(toIvy.get("seq").getAsLong());
      assertThat(top.get("lastRead").getAsLong()).isZero();
      assertThat(rooms(gus.result("dm.list", "{\"limit\":1}").getAsJsonArray("conversations"))).containsExactly(ivyRoom);

      hal.result("room.join", "{\"room\":\"" + halRoom + "\"}");
      assertThat(hal.result("room.read", "{\"room\":\"" + halRoom + "\",\"seq\":1}").get("seq").getAsLong()).isEqualTo(1);
      JsonObject halsView = hal.result("dm.list", "{}").getAsJsonArray("conversations").get(0).getAsJsonObject();
      assertThat(halsView.get("room").getAsString()).isEqualTo(halRoom);
      assertThat(halsView.get("with").getAsString()).isEqualTo("gus");
      assertThat(halsView.get("lastRead").getAsLong()).isEqualTo(1);
    }
  }

  @Test
  void aDroppedSessionRecoversThroughTheListAndAJoinWithSince() {
    String room;
    try (WsClient lou = user("lou")) {
      try (WsClient kim = user("kim")) {
        room = dm(lou, "kim", "before").get("room").getAsString();
        awaitMessage(kim, room, 1);
      }
      for (int i = 0; i < 3; i++) {
        dm(lou, "kim", "while away " + i);
      }
      try (WsClient back = user("kim")) {
        JsonObject conversation = back.result("dm.list", "{}").getAsJsonArray("conversations").get(0).getAsJsonObject();
        assertThat(conversation.get("room").getAsString()).isEqualTo(room);
        assertThat(conversation.get("seq").getAsLong()).isEqualTo(4);
        JsonObject join = back.result("room.join", "{\"room\":\"" + room + "\",\"since\":1}");
        List<Long> missed = new ArrayList<>();
        join.getAsJsonArray("missed").forEach(m -> missed.add(m.getAsJsonObject().get("seq").getAsLong()));
        assertThat(missed).containsExactly(2L, 3L, 4L);
        dm(lou, "kim", "live again");
        awaitMessage(back, room, 5);
        assertThat(back.hasPending("chat.message")).isFalse();
      }
    }
  }

  @Test
  void aServerSentEventsSessionSendsAndGetsDirectMessages() {
    try (SseClient sse = SseClient.open(server, "name=pia"); WsClient quinn = user("quinn")) {
      JsonObject sent = sse.result("dm.send", JsonParser.parseString("{\"to\":\"quinn\",\"text\":\"over sse\"}"));
      String room = sent.get("room").getAsString();
      SseClient.Event event = sse.awaitMessage(room, 1);
      assertThat(event.id()).isEqualTo(room + ":1");
      assertThat(awaitMessage(quinn, room, 1).get("to").getAsString()).isEqualTo("quinn");
      dm(quinn, "pia", "back");
      assertThat(sse.awaitMessage(room, 2).json().getAsJsonObject("params").get("to").getAsString()).isEqualTo("pia");
      assertThat(sse.result("dm.list", JsonParser.parseString("{}")).getAsJsonArray("conversations")).hasSize(1);
    }
  }

  static List<String> rooms(JsonArray conversations) {
    List<String> out = new ArrayList<>();
    conversations.forEach(c -> out.add(c.getAsJsonObject().get("room").getAsString()));
    return out;
  }
}
