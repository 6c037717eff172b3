package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.assertInvalidParams;
import static io.parley.server.e2e.Wire.assertNoNotification;
import static io.parley.server.e2e.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server notifications over real sockets: chat.message, room.joined, room.left and broadcast. */
@Timeout(60)
class NotificationsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsClient named(TestServer on, String name) {
    WsClient c = on.connect();
    c.result("session.hello", "{\"name\":\"" + name + "\"}");
    return c;
  }

  private static void join(WsClient c, String room) {
    c.result("room.join", "{\"room\":\"" + room + "\"}");
  }

  private static JsonObject presence(String room, String user) {
    return JsonParser.parseString("{\"room\":\"" + room + "\",\"user\":\"" + user + "\"}").getAsJsonObject();
  }

  @Test
  void chatMessageReachesEveryMemberAndTheSenderButNoOneElse() {
    try (WsClient alice = named(server, "alice"); WsClient bob = named(server, "bob");
        WsClient carol = named(server, "carol"); WsClient eve = named(server, "eve")) {
      for (WsClient c : new WsClient[] {alice, bob, carol}) {
        join(c, "fanout");
      }
      join(eve, "elsewhere");
      JsonObject sent = alice.result("chat.send", "{\"room\":\"fanout\",\"text\":\"to all\"}");
      Wire.assertMessage(sent, "fanout", 1, "alice", "to all");
      for (WsClient c : new WsClient[] {alice, bob, carol}) {
        assertThat(c.awaitNotification("chat.message")).isEqualTo(sent);
      }
      assertNoNotification(eve, "chat.message");
      assertNoNotification(bob, "chat.message");
    }
  }

  @Test
  void roomJoinedGoesToTheOtherMembersOnly() {
    try (WsClient alice = named(server, "alice"); WsClient bob = named(server, "bob");
        WsClient carol = named(server, "carol"); WsClient eve = named(server, "eve")) {
      join(alice, "joins");
      Wire.awaitLive(alice, "joins");
      join(eve, "joins-elsewhere");
      join(bob, "joins");
      assertThat(alice.awaitNotification("room.joined")).isEqualTo(presence("joins", "bob"));
      Wire.awaitLive(bob, "joins");
      join(carol, "joins");
      assertThat(alice.awaitNotification("room.joined")).isEqualTo(presence("joins", "carol"));
      assertThat(bob.awaitNotification("room.joined")).isEqualTo(presence("joins", "carol"));
      assertNoNotification(bob, "room.joined");
      assertNoNotification(carol, "room.joined");
      assertNoNotification(eve, "room.joined");
    }
  }

  @Test
  void roomLeftGoesToTheRemainingMembersOnLeave() {
    try (WsClient alice = named(server, "alice"); WsClient bob = named(server, "bob");
        WsClient carol = named(server, "carol")) {
      for (WsClient c : new WsClient[] {alice, bob, carol}) {
        join(c, "leaves");
        Wire.awaitLive(c, "leaves");
      }
      bob.result("room.leave", "{\"room\":\"leaves\"}");
      assertThat(alice.awaitNotification("room.left")).isEqualTo(presence("leaves", "bob"));
      assertThat(carol.awaitNotification("room.left")).isEqualTo(presence("leaves", "bob"));
      assertNoNotification(bob, "room.left");
    }
  }

  @Test
  void roomLeftIsSentWhenAMemberClosesItsConnection() {
    WsClient bob = named(server, "bob");
    try (WsClient alice = named(server, "alice")) {
      join(alice, "closes");
      Wire.awaitLive(alice, "closes");
      join(bob, "closes");
      assertThat(alice.awaitNotification("room.joined")).isEqualTo(presence("closes", "bob"));
      bob.close();
      assertThat(alice.awaitNotification("room.left")).isEqualTo(presence("closes", "bob"));
      assertThat(alice.result("room.members", "{\"room\":\"closes\"}").get("members"))
          .isEqualTo(JsonParser.parseString("[\"alice\"]"));
    } finally {
      bob.close();
    }
  }

  @Test
  void roomLeftIsSentWhenAMembersConnectionDropsWithoutACloseFrame() throws Exception {
    try (WsClient alice = named(server, "alice"); RawWebSocket dropper = RawWebSocket.connect(server.port())) {
      join(alice, "drops");
      Wire.awaitLive(alice, "drops");
      dropper.sendText("[" + request("1", "session.hello", "{\"name\":\"dropper\"}") + ","
          + request("2", "room.join", "{\"room\":\"drops\"}") + "]");
      assertThat(dropper.readText()).contains("\"id\":2");
      assertThat(alice.awaitNotification("room.joined")).isEqualTo(presence("drops", "dropper"));
      dropper.drop();
      assertThat(alice.awaitNotification("room.left")).isEqualTo(presence("drops", "dropper"));
      assertThat(alice.result("room.members", "{\"room\":\"drops\"}").get("members"))
          .isEqualTo(JsonParser.parseString("[\"alice\"]"));
    }
  }

  @Test
  void chatMessagesReachEachMemberInSeqOrder() {
    int perSender = 25;
    try (WsClient alice = named(server, "alice"); WsClient bob = named(server, "bob");
        WsClient carol = named(server, "carol")) {
      for (WsClient c : new WsClient[] {alice, bob, carol}) {
        join(c, "ordered");
      }
      for (int i = 0; i < perSender; i++) {
        alice.send(request("\"a" + i + "\"", "chat.send", "{\"room\":\"ordered\",\"text\":\"a" + i + "\"}"));
        bob.send(request("\"b" + i + "\"", "chat.send", "{\"room\":\"ordered\",\"text\":\"b" + i + "\"}"));
      }
      for (int i = 0; i < perSender; i++) {
        String a = "a" + i;
        String b = "b" + i;
        assertThat(alice.await(o -> o.has("id") && a.equals(o.get("id").getAsString())).has("result")).isTrue();
        assertThat(bob.await(o -> o.has("id") && b.equals(o.get("id").getAsString())).has("result")).isTrue();
      }
      for (WsClient c : new WsClient[] {alice, bob, carol}) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 2 * perSender; i++) {
          seqs.add(c.awaitNotification("chat.message").get("seq").getAsLong());
        }
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= 2 * perSender; s++) {
          expected.add(s);
        }
        assertThat(seqs).isEqualTo(expected);
      }
    }
  }

  @Test
  void broadcastReachesEveryOpenSessionIncludingTheSender() {
    try (TestServer own = TestServer.start(TestServer.Store.EMBEDDED);
        WsClient alice = named(own, "alice"); WsClient bob = named(own, "bob"); WsClient guest = own.connect()) {
      join(bob, "some-room");
      JsonObject result = alice.result("broadcast", "{\"text\":\"maintenance at noon\"}");
      assertThat(result).isEqualTo(JsonParser.parseString("{\"delivered\":3}"));
      for (WsClient c : new WsClient[] {alice, bob, guest}) {
        JsonObject note = c.awaitNotification("broadcast");
        assertThat(note.keySet()).containsExactlyInAnyOrder("from", "text", "ts");
        assertThat(note.get("from").getAsString()).isEqualTo("alice");
        assertThat(note.get("text").getAsString()).isEqualTo("maintenance at noon");
        assertThat(note.get("ts").getAsString()).matches(Wire.TS);
      }
    }
  }

  @Test
  void broadcastCountsOnlyOpenSessions() {
    try (TestServer own = TestServer.start(TestServer.Store.EMBEDDED);
        WsClient alice = named(own, "alice"); WsClient bob = named(own, "bob")) {
      WsClient gone = named(own, "gone");
      join(alice, "count-room");
      Wire.awaitLive(alice, "count-room");
      join(gone, "count-room");
      alice.awaitNotification("room.joined");
      gone.close();
      alice.awaitNotification("room.left");
      assertThat(bob.result("broadcast", "{\"text\":\"two of us\"}").get("delivered").getAsInt()).isEqualTo(2);
      assertThat(alice.awaitNotification("broadcast").get("from").getAsString()).isEqualTo("bob");
      assertInvalidParams(bob.call("broadcast", "{\"text\":\"\"}"), "text");
      assertInvalidParams(bob.call("broadcast", "{}"), "text");
    }
  }
}
