package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.FORBIDDEN;
import static io.parley.server.e2e.Wire.assertError;
import static io.parley.server.e2e.Wire.assertInvalidParams;
import static io.parley.server.e2e.Wire.assertMessage;
import static io.parley.server.e2e.Wire.assertNoNotification;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code room.join}, {@code room.leave} and {@code room.members} over a real WebSocket. */
@Timeout(60)
class RoomMethodsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsClient named(String name) {
    WsClient c = server.connect();
    c.result("session.hello", "{\"name\":\"" + name + "\"}");
    return c;
  }

  @Test
  void joinAnswersTheRoomState() {
    try (WsClient alice = named("alice")) {
      JsonObject joined = alice.result("room.join", "{\"room\":\"join-shape\"}");
      assertThat(joined.get("room").getAsString()).isEqualTo("join-shape");
      assertThat(joined.get("seq").getAsLong()).isZero();
      assertThat(joined.get("members")).isEqualTo(JsonParser.parseString("[\"alice\"]"));
      assertThat(joined.get("missed")).isEqualTo(new JsonArray());
      assertThat(joined.get("truncated").getAsBoolean()).isFalse();
      alice.result("chat.send", "{\"room\":\"join-shape\",\"text\":\"one\"}");
      alice.result("chat.send", "{\"room\":\"join-shape\",\"text\":\"two\"}");
      try (WsClient bob = named("bob")) {
        JsonObject later = bob.result("room.join", "{\"room\":\"join-shape\"}");
        assertThat(later.get("seq").getAsLong()).isEqualTo(2);
        assertThat(later.get("missed")).isEqualTo(new JsonArray());
        assertThat(later.get("truncated").getAsBoolean()).isFalse();
      }
    }
  }

  @Test
  void membersAreSortedAndDistinct() {
    try (WsClient zed = named("zed"); WsClient amy = named("amy"); WsClient zed2 = named("zed");
        WsClient mia = named("mia")) {
      for (WsClient c : new WsClient[] {zed, amy, zed2}) {
        c.result("room.join", "{\"room\":\"sorted\"}");
      }
      JsonObject joined = mia.result("room.join", "{\"room\":\"sorted\"}");
      assertThat(joined.get("members")).isEqualTo(JsonParser.parseString("[\"amy\",\"mia\",\"zed\"]"));
      JsonObject members = zed.result("room.members", "{\"room\":\"sorted\"}");
      assertThat(members.get("room").getAsString()).isEqualTo("sorted");
      assertThat(members.get("members")).isEqualTo(JsonParser.parseString("[\"amy\",\"mia\",\"zed\"]"));
    }
  }

  @Test
  void joinWithSinceReturnsTheMissedMessagesAscending() {
    try (WsClient alice = named("alice"); WsClient bob = named("bob")) {
      alice.result("room.join", "{\"room\":\"since-room\"}");
      for (int i = 1; i <= 4; i++) {
        alice.result("chat.send", "{\"room\":\"since-room\",\"text\":\"m" + i + "\"}");
      }
      JsonObject joined = bob.result("room.join", "{\"room\":\"since-room\",\"since\":1}");
      assertThat(joined.get("seq").getAsLong()).isEqualTo(4);
      JsonArray missed = joined.getAsJsonArray("missed");
      assertThat(missed).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertMessage(missed.get(i).getAsJsonObject(), "since-room", i + 2, "alice", "m" + (i + 2));
      }
      assertThat(joined.get("truncated").getAsBoolean()).isFalse();
    }
  }

  @Test
  void secondJoinIsIdempotent() {
    try (WsClient alice = named("alice"); WsClient bob = named("bob")) {
      alice.result("room.join", "{\"room\":\"twice\"}");
      Wire.awaitLive(alice, "twice");
      bob.result("room.join", "{\"room\":\"twice\"}");
      alice.awaitNotification("room.joined");
      JsonObject again = bob.result("room.join", "{\"room\":\"twice\"}");
      assertThat(again.get("room").getAsString()).isEqualTo("twice");
      assertThat(again.get("members")).isEqualTo(JsonParser.parseString("[\"alice\",\"bob\"]"));
      assertThat(again.get("missed")).isEqualTo(new JsonArray());
      assertThat(again.get("truncated").getAsBoolean()).isFalse();
      JsonObject sent = alice.result("chat.send", "{\"room\":\"twice\",\"text\":\"once\"}");
      assertThat(bob.awaitNotification("chat.message")).isEqualTo(sent);
      assertNoNotification(bob, "chat.message");
      assertNoNotification(alice, "room.joined");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\"bad room!\"", "\"sp ace\"", "\"slash/room\"", "\"ümlaut\"",
      "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "5", "null", "[\"x\"]"})
  void joinRefusesBadRoomNames(String room) {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("room.join", "{\"room\":" + room + "}"), "room");
    }
  }

  @Test
  void joinAcceptsEveryAllowedCharacterAndSixtyFourOfThem() {
    String longest = "a".repeat(64);
    try (WsClient c = server.connect()) {
      assertThat(c.result("room.join", "{\"room\":\"AZaz09_.-\"}").get("room").getAsString()).isEqualTo("AZaz09_.-");
      assertThat(c.result("room.join", "{\"room\":\"" + longest + "\"}").get("room").getAsString()).isEqualTo(longest);
    }
  }

  @Test
  void joinWithoutRoomNamesTheField() {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("room.join", "{}"), "room");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5", "\"3\""})
  void joinRefusesABadSince(String since) {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("room.join", "{\"room\":\"since-bad\",\"since\":" + since + "}"), "since");
      assertError(c.call("room.members", "{\"room\":\"since-bad\"}"), FORBIDDEN);
    }
  }

  @Test
  void leaveAnswersTheRoomAndStopsDelivery() {
    try (WsClient alice = named("alice"); WsClient bob = named("bob")) {
      alice.result("room.join", "{\"room\":\"leave-room\"}");
      Wire.awaitLive(alice, "leave-room");
      bob.result("room.join", "{\"room\":\"leave-room\"}");
      JsonObject left = bob.result("room.leave", "{\"room\":\"leave-room\"}");
      assertThat(left).isEqualTo(JsonParser.parseString("{\"room\":\"leave-room\"}"));
      assertThat(alice.awaitNotification("room.left").get("user").getAsString()).isEqualTo("bob");
      JsonObject sent = alice.result("chat.send", "{\"room\":\"leave-room\",\"text\":\"gone?\"}");
      assertThat(alice.awaitNotification("chat.message")).isEqualTo(sent);
      assertNoNotification(bob, "chat.message");
      assertError(bob.call("room.members", "{\"room\":\"leave-room\"}"), FORBIDDEN);
      assertThat(alice.result("room.members", "{\"room\":\"leave-room\"}").get("members"))
          .isEqualTo(JsonParser.parseString("[\"alice\"]"));
    }
  }

  @Test
  void leavingARoomNotJoinedIsForbidden() {
    try (WsClient c = server.connect()) {
      assertError(c.call("room.leave", "{\"room\":\"never-joined\"}"), FORBIDDEN);
      assertInvalidParams(c.call("room.leave", "{\"room\":\"no way\"}"), "room");
    }
  }

  @Test
  void membersOfARoomNotJoinedIsForbidden() {
    try (WsClient alice = named("alice"); WsClient bob = named("bob")) {
      alice.result("room.join", "{\"room\":\"members-private\"}");
      assertError(bob.call("room.members", "{\"room\":\"members-private\"}"), FORBIDDEN);
      assertInvalidParams(bob.call("room.members", "{\"room\":\"\"}"), "room");
    }
  }
}
