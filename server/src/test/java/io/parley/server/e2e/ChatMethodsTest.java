package io.parley.server.e2e;

import static io.parley.server.e2e.Wire.FORBIDDEN;
import static io.parley.server.e2e.Wire.TOO_LARGE;
import static io.parley.server.e2e.Wire.assertError;
import static io.parley.server.e2e.Wire.assertInvalidParams;
import static io.parley.server.e2e.Wire.assertMessage;
import static io.parley.server.e2e.Wire.assertNoNotification;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code chat.send} and {@code chat.history} over a real WebSocket. */
@Timeout(60)
class ChatMethodsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsClient joined(String name, String room) {
    WsClient c = server.connect();
    c.result("session.hello", "{\"name\":\"" + name + "\"}");
    c.result("room.join", "{\"room\":\"" + room + "\"}");
    return c;
  }

  private static String send(String room, String text) {
    JsonObject p = new JsonObject();
    p.addProperty("room", room);
    p.addProperty("text", text);
    return p.toString();
  }

  /** Stores {@code count} messages "m1".."mN" in one batch frame (sent in order, so seq i is "mi"). */
  private static void seed(WsClient c, String room, int count) {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 1; i <= count; i++) {
      batch.append(i > 1 ? "," : "").append(Wire.request("\"seed-" + i + "\"", "chat.send", send(room, "m" + i)));
    }
    c.send(batch.append(']').toString());
    JsonArray replies = c.await(o -> o.has("batch")).getAsJsonArray("batch");
    assertThat(replies).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(replies.get(i).getAsJsonObject().getAsJsonObject("result").get("seq").getAsLong()).isEqualTo(i + 1);
    }
  }

  private static List<Long> seqs(JsonObject history) {
    List<Long> seqs = new ArrayList<>();
    history.getAsJsonArray("messages").forEach(m -> seqs.add(m.getAsJsonObject().get("seq").getAsLong()));
    return seqs;
  }

  private static List<Long> range(long from, long to) {
    List<Long> list = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      list.add(i);
    }
    return list;
  }

  @Test
  void sendAnswersTheStoredMessage() {
    try (WsClient alice = joined("alice", "send-shape")) {
      JsonObject first = alice.result("chat.send", send("send-shape", "hello"));
      assertMessage(first, "send-shape", 1, "alice", "hello");
      assertThat(first.has("clientId")).isFalse();
      JsonObject second = alice.result("chat.send",
          "{\"room\":\"send-shape\",\"text\":\"again\",\"clientId\":\"c-0001\"}");
      assertMessage(second, "send-shape", 2, "alice", "again");
      assertThat(second.get("clientId").getAsString()).isEqualTo("c-0001");
    }
  }

  @Test
  void repeatedClientIdReturnsTheFirstMessageAndStoresNothing() {
    try (WsClient alice = joined("alice", "send-idem")) {
      String params = "{\"room\":\"send-idem\",\"text\":\"once\",\"clientId\":\"dup-1\"}";
      JsonObject first = alice.result("chat.send", params);
      assertThat(alice.awaitNotification("chat.message")).isEqualTo(first);
      JsonObject again = alice.result("chat.send", "{\"room\":\"send-idem\",\"text\":\"other\",\"clientId\":\"dup-1\"}");
      assertThat(again).isEqualTo(first);
      assertNoNotification(alice, "chat.message");
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"send-idem\"}"))).containsExactly(1L);
    }
  }

  @Test
  void sendingToARoomNotJoinedIsForbidden() {
    try (WsClient alice = joined("alice", "send-member"); WsClient eve = server.connect()) {
      assertError(eve.call("chat.send", send("send-member", "let me in")), FORBIDDEN);
      assertThat(alice.result("chat.history", "{\"room\":\"send-member\"}").getAsJsonArray("messages")).isEmpty();
    }
  }

  @Test
  void emptyOrMissingTextIsInvalidParams() {
    try (WsClient alice = joined("alice", "send-empty")) {
      assertInvalidParams(alice.call("chat.send", send("send-empty", "")), "text");
      assertInvalidParams(alice.call("chat.send", "{\"room\":\"send-empty\"}"), "text");
      assertInvalidParams(alice.call("chat.send", "{\"room\":\"send-empty\",\"text\":7}"), "text");
      assertInvalidParams(alice.call("chat.send", "{\"room\":\"bad room\",\"text\":\"x\"}"), "room");
    }
  }

  @Test
  void textLimitCountsCodePoints() {
    try (WsClient alice = joined("alice", "send-limit")) {
      assertThat(alice.result("chat.send", send("send-limit", "a".repeat(4096))).get("text").getAsString())
          .hasSize(4096);
      String emoji = "😀".repeat(4096);
      assertThat(alice.result("chat.send", send("send-limit", emoji)).get("text").getAsString()).isEqualTo(emoji);
      assertError(alice.call("chat.send", send("send-limit", "a".repeat(4097))), TOO_LARGE);
      assertError(alice.call("chat.send", send("send-limit", emoji + "a")), TOO_LARGE);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"send-limit\"}"))).containsExactly(1L, 2L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"<script>alert('x')</script>", "<b>bold</b> &amp; &lt;", "'; DROP TABLE messages; --",
      "Robert'); DELETE FROM messages WHERE ('1'='1", "\"quoted\" \\back\\slash\\", "line\nbreak\ttab",
      "%s %n {0} ${x}", "\u2028\u2029 \uFEFF", "   "})
  void textsAreStoredAndReturnedVerbatim(String text) {
    String room = "verbatim-" + Integer.toHexString(text.hashCode());
    try (WsClient alice = joined("alice", room)) {
      JsonObject sent = alice.result("chat.send", send(room, text));
      assertThat(sent.get("text")).isEqualTo(new JsonPrimitive(text));
      assertThat(alice.awaitNotification("chat.message").get("text").getAsString()).isEqualTo(text);
      JsonArray history = alice.result("chat.history", "{\"room\":\"" + room + "\"}").getAsJsonArray("messages");
      assertThat(history).hasSize(1);
      assertThat(history.get(0)).isEqualTo(sent);
    }
  }

  @Test
  void historyPagesByBeforeAfterAndLimit() {
    try (WsClient alice = joined("alice", "history")) {
      seed(alice, "history", 55);
      JsonObject newest = alice.result("chat.history", "{\"room\":\"history\"}");
      assertThat(seqs(newest)).isEqualTo(range(6, 55));
      JsonObject m6 = newest.getAsJsonArray("messages").get(0).getAsJsonObject();
      assertMessage(m6, "history", 6, "alice", "m6");
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"before\":10,\"limit\":3}")))
          .containsExactly(7L, 8L, 9L);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"after\":50,\"limit\":3}")))
          .containsExactly(51L, 52L, 53L);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"after\":53}")))
          .containsExactly(54L, 55L);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"before\":3}")))
          .containsExactly(1L, 2L);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"limit\":2}")))
          .containsExactly(54L, 55L);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"limit\":500}")))
          .isEqualTo(range(1, 55));
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"after\":0,\"limit\":1}")))
          .containsExactly(1L);
      assertThat(seqs(alice.result("chat.history", "{\"room\":\"history\",\"after\":55}"))).isEmpty();
    }
  }

  @Test
  void historyOfAnEmptyRoomIsEmptyAndNeedsNoMembership() {
    try (WsClient alice = joined("alice", "history-open"); WsClient eve = server.connect()) {
      assertThat(eve.result("chat.history", "{\"room\":\"never-written\"}").getAsJsonArray("messages")).isEmpty();
      JsonObject sent = alice.result("chat.send", send("history-open", "public"));
      JsonArray seen = eve.result("chat.history", "{\"room\":\"history-open\"}").getAsJsonArray("messages");
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0)).isEqualTo(sent);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"limit\":0", "\"limit\":501", "\"limit\":-1", "\"limit\":\"5\"", "\"limit\":2.5",
      "\"limit\":true"})
  void historyRefusesABadLimit(String member) {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("chat.history", "{\"room\":\"history-bad\"," + member + "}"), "limit");
    }
  }

  @Test
  void historyRefusesBadBeforeAfterAndRoom() {
    try (WsClient c = server.connect()) {
      assertInvalidParams(c.call("chat.history", "{\"room\":\"h\",\"before\":\"x\"}"), "before");
      assertInvalidParams(c.call("chat.history", "{\"room\":\"h\",\"before\":-1}"), "before");
      assertInvalidParams(c.call("chat.history", "{\"room\":\"h\",\"after\":1.5}"), "after");
      assertInvalidParams(c.call("chat.history", "{\"room\":\"h h\"}"), "room");
      assertInvalidParams(c.call("chat.history", "{}"), "room");
    }
  }
}
