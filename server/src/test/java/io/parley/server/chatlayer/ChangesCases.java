package io.parley.server.chatlayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract 1.1 edits, deletions and reactions over real sockets on one node: results and refusals,
 * {@code chat.change} to every member in rev order, the current state in history and recovery,
 * {@code sinceRev} and {@code chat.changes}, and racing writers. Run on each store by a subclass.
 */
@Timeout(90)
abstract class ChangesCases {
  static TestServer server;

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  static JsonObject send(WsClient client, String room, String text) {
    return client.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"" + text + "\"}");
  }

  static int errorCode(JsonObject reply) {
    return reply.getAsJsonObject("error").get("code").getAsInt();
  }

  static JsonObject awaitChange(WsClient client, long rev) {
    JsonObject change = client.awaitNotification("chat.change");
    assertThat(change.get("rev").getAsLong()).as("changes arrive in rev order").isEqualTo(rev);
    return change;
  }

  static JsonObject history(WsClient client, String room, long seq) {
    JsonArray messages = client.result("chat.history", "{\"room\":\"" + room + "\"}").getAsJsonArray("messages");
    for (JsonElement m : messages) {
      if (m.getAsJsonObject().get("seq").getAsLong() == seq) {
        return m.getAsJsonObject();
      }
    }
    throw new AssertionError("no message " + seq + " in " + messages);
  }

  @Test
  void theAuthorEditsAndEveryMemberSeesIt() {
    try (WsClient ann = server.member("ann", "edits"); WsClient bob = server.member("bob", "edits")) {
      send(ann, "edits", "helo");
      bob.awaitNotification("chat.message");
      JsonObject result = ann.result("chat.edit", "{\"room\":\"edits\",\"seq\":1,\"text\":\"hello\"}");
      assertThat(result.toString()).isEqualTo("{\"room\":\"edits\",\"seq\":1,\"rev\":1,\"changed\":true}");
      for (WsClient c : List.of(ann, bob)) {
        JsonObject change = awaitChange(c, 1);
        assertThat(change.get("kind").getAsString()).isEqualTo("edit");
        assertThat(change.get("seq").getAsLong()).isEqualTo(1);
        assertThat(change.get("user").getAsString()).isEqualTo("ann");
        assertThat(change.get("text").getAsString()).isEqualTo("hello");
        assertThat(change.get("ts").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(change.has("emoji")).isFalse();
      }
      JsonObject shown = history(bob, "edits", 1);
      assertThat(shown.get("text").getAsString()).isEqualTo("hello");
      assertThat(shown.get("edited").getAsString()).isEqualTo(ann.result("chat.changes",
          "{\"room\":\"edits\",\"after\":0}").getAsJsonArray("changes").get(0).getAsJsonObject().get("ts").getAsString());
      assertThat(shown.has("deleted")).isFalse();

      JsonObject same = ann.result("chat.edit", "{\"room\":\"edits\",\"seq\":1,\"text\":\"hello\"}");
      assertThat(same.toString()).as("same text").isEqualTo("{\"room\":\"edits\",\"seq\":1,\"rev\":1,\"changed\":false}");
      assertThat(errorCode(bob.call("chat.edit", "{\"room\":\"edits\",\"seq\":1,\"text\":\"mine\"}"))).isEqualTo(-32002);
      JsonObject unknown = ann.call("chat.edit", "{\"room\":\"edits\",\"seq\":9,\"text\":\"x\"}");
      assertThat(errorCode(unknown)).isEqualTo(-32602);
      assertThat(unknown.getAsJsonObject("error").getAsJsonObject("data").get("field").getAsString()).isEqualTo("seq");
      assertThat(errorCode(ann.call("chat.edit", "{\"room\":\"edits\",\"seq\":1,\"text\":\"\"}"))).isEqualTo(-32602);
      assertThat(errorCode(ann.call("chat.edit", "{\"room\":\"edits\",\"seq\":0,\"text\":\"x\"}"))).isEqualTo(-32602);
      assertThat(errorCode(ann.call("chat.edit", "{\"room\":\"edits\",\"seq\":1,\"text\":\""
          + "x".repeat(4097) + "\"}"))).isEqualTo(-32004);
      try (WsClient out = server.member("cy", "elsewhere")) {
        assertThat(errorCode(out.call("chat.edit", "{\"room\":\"edits\",\"seq\":1,\"text\":\"x\"}")))
            .as("not a member").isEqualTo(-32002);
      }
      send(ann, "edits", "marker");
      assertThat(bob.awaitNotification("chat.message").get("text").getAsString()).isEqualTo("marker");
      assertThat(bob.hasPending("chat.change")).as("refusals and no-ops announce nothing").isFalse();
    }
  }

  @Test
  void deletionsEmptyTheMessageForGood() {
    try (WsClient ann = server.member("ann", "deletes"); WsClient bob = server.member("bob", "deletes")) {
      send(ann, "deletes", "oops");
      bob.result("chat.react", "{\"room\":\"deletes\",\"seq\":1,\"emoji\":\"👍\",\"on\":true}");
      awaitChange(ann, 1);
      awaitChange(bob, 1);
      assertThat(errorCode(bob.call("chat.delete", "{\"room\":\"deletes\",\"seq\":1}"))).isEqualTo(-32002);
      assertThat(ann.result("chat.delete", "{\"room\":\"deletes\",\"seq\":1}").get("rev").getAsLong()).isEqualTo(2);
      JsonObject change = awaitChange(bob, 2);
      assertThat(change.get("kind").getAsString()).isEqualTo("delete");
      assertThat(change.has("text")).isFalse();
      JsonObject shown = history(bob, "deletes", 1);
      assertThat(shown.get("deleted").getAsBoolean()).isTrue();
      assertThat(shown.get("text").getAsString()).isEmpty();
      assertThat(shown.has("reactions")).isFalse();
      assertThat(ann.result("chat.delete", "{\"room\":\"deletes\",\"seq\":1}").get("changed").getAsBoolean()).isFalse();
      assertThat(errorCode(ann.call("chat.edit", "{\"room\":\"deletes\",\"seq\":1,\"text\":\"back\"}"))).isEqualTo(-32002);
      assertThat(errorCode(bob.call("chat.react", "{\"room\":\"deletes\",\"seq\":1,\"emoji\":\"👍\",\"on\":true}")))
          .isEqualTo(-32002);
    }
  }

  @Test
  void reactionsAreCountedOncePerUserAndShownInOrder() {
    try (WsClient ann = server.member("ann", "reacts"); WsClient bob = server.member("bob", "reacts");
        WsClient cy = server.member("cy", "reacts")) {
      send(ann, "reacts", "party?");
      String on = "{\"room\":\"reacts\",\"seq\":1,\"emoji\":\"🎉\",\"on\":true}";
      assertThat(cy.result("chat.react", on).get("rev").getAsLong()).isEqualTo(1);
      assertThat(bob.result("chat.react", on).get("rev").getAsLong()).isEqualTo(2);
      assertThat(bob.result("chat.react", on).toString()).isEqualTo("{\"room\":\"reacts\",\"seq\":1,\"rev\":2,\"changed\":false}");
      JsonObject change = awaitChange(ann, 1);
      assertThat(change.get("emoji").getAsString()).isEqualTo("🎉");
      assertThat(change.get("on").getAsBoolean()).isTrue();
      awaitChange(ann, 2);
      assertThat(history(ann, "reacts", 1).getAsJsonObject("reactions").toString()).isEqualTo("{\"🎉\":[\"cy\",\"bob\"]}");
      assertThat(cy.result("chat.react", on.replace("true", "false")).get("rev").getAsLong()).isEqualTo(3);
      assertThat(awaitChange(ann, 3).get("on").getAsBoolean()).isFalse();
      assertThat(history(ann, "reacts", 1).getAsJsonObject("reactions").toString()).isEqualTo("{\"🎉\":[\"bob\"]}");
      for (String bad : List.of("\"\"", "\"a b\"", "\"" + "x".repeat(33) + "\"", "7")) {
        JsonObject refused = bob.call("chat.react", "{\"room\":\"reacts\",\"seq\":1,\"emoji\":" + bad + ",\"on\":true}");
        assertThat(errorCode(refused)).as(bad).isEqualTo(-32602);
      }
      assertThat(errorCode(bob.call("chat.react", "{\"room\":\"reacts\",\"seq\":1,\"emoji\":\"x\"}"))).isEqualTo(-32602);
    }
  }

  @Test
  void aJoinWithSinceRevRecoversChangesAndChatChangesPagesOn() {
    try (WsClient ann = server.member("ann", "recover")) {
      for (int i = 1; i <= 3; i++) {
        send(ann, "recover", "m" + i);
      }
      ann.result("chat.edit", "{\"room\":\"recover\",\"seq\":1,\"text\":\"m1!\"}");
      ann.result("chat.react", "{\"room\":\"recover\",\"seq\":2,\"emoji\":\"👍\",\"on\":true}");
      ann.result("chat.delete", "{\"room\":\"recover\",\"seq\":3}");
      try (WsClient bob = server.connect()) {
        bob.result("session.hello", "{\"name\":\"bob\"}");
        JsonObject join = bob.result("room.join", "{\"room\":\"recover\",\"since\":0,\"sinceRev\":1}");
        assertThat(join.get("rev").getAsLong()).isEqualTo(3);
        assertThat(revs(join.getAsJsonArray("changes"))).containsExactly(2L, 3L);
        JsonArray missed = join.getAsJsonArray("missed");
        assertThat(missed.get(0).getAsJsonObject().get("text").getAsString()).isEqualTo("m1!");
        assertThat(missed.get(1).getAsJsonObject().getAsJsonObject("reactions").has("👍")).isTrue();
        assertThat(missed.get(2).getAsJsonObject().get("deleted").getAsBoolean()).isTrue();
        assertThat(join.get("truncated").getAsBoolean()).isFalse();
        JsonObject plain = bob.result("room.join", "{\"room\":\"recover\"}");
        assertThat(plain.has("changes")).as("without sinceRev").isFalse();
        assertThat(plain.get("rev").getAsLong()).isEqualTo(3);
        assertThat(revs(bob.result("chat.changes", "{\"room\":\"recover\",\"after\":0,\"limit\":2}")
            .getAsJsonArray("changes"))).containsExactly(1L, 2L);
        assertThat(revs(bob.result("chat.changes", "{\"room\":\"recover\",\"after\":2}").getAsJsonArray("changes")))
            .containsExactly(3L);
        assertThat(errorCode(bob.call("chat.changes", "{\"room\":\"recover\",\"after\":-1}"))).isEqualTo(-32602);
        assertThat(errorCode(bob.call("chat.changes", "{\"room\":\"recover\",\"after\":0,\"limit\":501}")))
            .isEqualTo(-32602);
        assertThat(errorCode(bob.call("room.join", "{\"room\":\"recover\",\"sinceRev\":-1}"))).isEqualTo(-32602);
      }
    }
  }

  @Test
  void aMemberCutOffWhileOthersChangeRecoversEveryRevOnce() {
    try (WsClient ann = server.member("ann", "cut")) {
      for (int i = 1; i <= 5; i++) {
        send(ann, "cut", "m" + i);
      }
      JsonObject first;
      long seenRev;
      try (WsClient bob = server.member("bob", "cut")) {
        ann.result("chat.edit", "{\"room\":\"cut\",\"seq\":1,\"text\":\"e1\"}");
        first = awaitChange(bob, 1);
        seenRev = first.get("rev").getAsLong();
      }
      ann.result("chat.edit", "{\"room\":\"cut\",\"seq\":2,\"text\":\"e2\"}");
      ann.result("chat.react", "{\"room\":\"cut\",\"seq\":3,\"emoji\":\"👍\",\"on\":true}");
      ann.result("chat.delete", "{\"room\":\"cut\",\"seq\":4}");
      send(ann, "cut", "m6");
      try (WsClient back = server.connect()) {
        back.result("session.hello", "{\"name\":\"bob\"}");
        JsonObject join = back.result("room.join", "{\"room\":\"cut\",\"since\":5,\"sinceRev\":" + seenRev + "}");
        List<Long> revs = new ArrayList<>(revs(join.getAsJsonArray("changes")));
        assertThat(join.getAsJsonArray("missed")).hasSize(1);
        ann.result("chat.edit", "{\"room\":\"cut\",\"seq\":6,\"text\":\"e6\"}");
        revs.add(back.awaitNotification("chat.change").get("rev").getAsLong());
        assertThat(revs).containsExactly(2L, 3L, 4L, 5L);
        send(ann, "cut", "marker");
        back.awaitNotification("chat.message");
        assertThat(back.hasPending("chat.change")).as("no rev twice").isFalse();
      }
    }
  }

  @Test
  void racingEditorsAndReactorsGetGapFreeRevsAndEveryMemberAppliesThemInOrder() throws Exception {
    int writers = 10;
    int each = 8;
    List<WsClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int i = 0; i < writers; i++) {
        clients.add(server.member("w" + i, "race"));
      }
      for (int i = 0; i < writers; i++) {
        send(clients.get(i), "race", "by w" + i);
      }
      for (WsClient c : clients) {
        for (int i = 0; i < writers; i++) {
          c.awaitNotification("chat.message");
        }
      }
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        WsClient me = clients.get(w);
        int mine = w + 1;
        results.add(pool.submit(() -> {
          List<Long> revs = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            JsonObject r = i % 2 == 0
                ? me.result("chat.edit", "{\"room\":\"race\",\"seq\":" + mine + ",\"text\":\"v" + i + "\"}")
                : me.result("chat.react", "{\"room\":\"race\",\"seq\":" + (1 + (i % writers)) + ",\"emoji\":\""
                    + (i % 3 == 0 ? "👍" : "🔥") + "\",\"on\":" + (i % 4 != 3) + "}");
            if (r.get("changed").getAsBoolean()) {
              revs.add(r.get("rev").getAsLong());
            }
          }
          return revs;
        }));
      }
      List<Long> revs = new ArrayList<>();
      for (Future<List<Long>> f : results) {
        revs.addAll(f.get(60, TimeUnit.SECONDS));
      }
      revs.sort(null);
      int n = revs.size();
      List<Long> expected = new ArrayList<>();
      for (long r = 1; r <= n; r++) {
        expected.add(r);
      }
      assertThat(revs).as("revs 1..N without a gap").isEqualTo(expected);
      // Every member gets every change in rev order; applied in order they give the history's state.
      Map<Long, String> texts = new HashMap<>();
      Map<Long, Map<String, List<String>>> reactions = new HashMap<>();
      for (WsClient c : clients) {
        for (long r = 1; r <= n; r++) {
          JsonObject change = awaitChange(c, r);
          if (c == clients.get(0)) {
            apply(change, texts, reactions);
          }
        }
      }
      JsonArray history = clients.get(0).result("chat.history", "{\"room\":\"race\"}").getAsJsonArray("messages");
      for (JsonElement e : history) {
        JsonObject m = e.getAsJsonObject();
        long seq = m.get("seq").getAsLong();
        assertThat(m.get("text").getAsString()).isEqualTo(texts.getOrDefault(seq, "by w" + (seq - 1)));
        Map<String, List<String>> shown = new HashMap<>();
        if (m.has("reactions")) {
          m.getAsJsonObject("reactions").entrySet().forEach(r -> {
            List<String> users = new ArrayList<>();
            r.getValue().getAsJsonArray().forEach(u -> users.add(u.getAsString()));
            shown.put(r.getKey(), users);
          });
        }
        assertThat(shown).isEqualTo(reactions.getOrDefault(seq, Map.of()));
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(WsClient::close);
    }
  }

  private static void apply(JsonObject change, Map<Long, String> texts, Map<Long, Map<String, List<String>>> reactions) {
    long seq = change.get("seq").getAsLong();
    switch (change.get("kind").getAsString()) {
      case "edit" -> texts.put(seq, change.get("text").getAsString());
      case "react" -> {
        Map<String, List<String>> onMessage = reactions.computeIfAbsent(seq, s -> new LinkedHashMap<>());
        List<String> users = onMessage.computeIfAbsent(change.get("emoji").getAsString(), e -> new ArrayList<>());
        if (change.get("on").getAsBoolean()) {
          users.add(change.get("user").getAsString());
        } else {
          users.remove(change.get("user").getAsString());
        }
        if (users.isEmpty()) {
          onMessage.remove(change.get("emoji").getAsString());
        }
        if (onMessage.isEmpty()) {
          reactions.remove(seq);
        }
      }
      default -> throw new AssertionError("unexpected change " + change);
    }
  }

  @Test
  void directConversationChangesReachBothUsersWithoutAJoin() {
    try (WsClient ann = server.connect(); WsClient bob = server.connect(); WsClient mal = server.member("mal", "x")) {
      ann.result("session.hello", "{\"name\":\"dm-ann\"}");
      bob.result("session.hello", "{\"name\":\"dm-bob\"}");
      JsonObject sent = ann.result("dm.send", "{\"to\":\"dm-bob\",\"text\":\"hi\"}");
      String room = sent.get("room").getAsString();
      bob.awaitNotification("chat.message");
      bob.result("chat.react", "{\"room\":\"" + room + "\",\"seq\":1,\"emoji\":\"👋\",\"on\":true}");
      ann.result("chat.edit", "{\"room\":\"" + room + "\",\"seq\":1,\"text\":\"hi!\"}");
      for (WsClient c : List.of(ann, bob)) {
        assertThat(awaitChange(c, 1).get("kind").getAsString()).isEqualTo("react");
        assertThat(awaitChange(c, 2).get("text").getAsString()).isEqualTo("hi!");
      }
      assertThat(errorCode(mal.call("chat.react", "{\"room\":\"" + room + "\",\"seq\":1,\"emoji\":\"x\",\"on\":true}")))
          .isEqualTo(-32002);
      assertThat(errorCode(mal.call("chat.changes", "{\"room\":\"" + room + "\",\"after\":0}"))).isEqualTo(-32002);
      assertThat(mal.hasPending("chat.change")).isFalse();
    }
  }

  @Test
  void aSendersChangeRightAfterItsReplyNeverOvertakesTheMessage() {
    try (WsClient ann = server.connect(); WsClient cara = server.connect(); WsClient ann2 = server.member("ann", "quick");
        WsClient bo = server.member("bo", "quick")) {
      ann.result("session.hello", "{\"name\":\"ann\"}");
      cara.result("session.hello", "{\"name\":\"cara\"}");
      int rounds = 40;
      for (int i = 0; i < rounds; i++) {
        JsonObject dm = ann.result("dm.send", "{\"to\":\"cara\",\"text\":\"d" + i + "\"}");
        ann.result("chat.react", "{\"room\":\"" + dm.get("room").getAsString() + "\",\"seq\":" + dm.get("seq")
            + ",\"emoji\":\"👍\",\"on\":true}");
        JsonObject sent = send(ann2, "quick", "q" + i);
        ann2.result("chat.edit", "{\"room\":\"quick\",\"seq\":" + sent.get("seq") + ",\"text\":\"q" + i + "!\"}");
      }
      for (WsClient watcher : List.of(cara, bo)) {
        List<String> seen = new ArrayList<>();
        while (seen.size() < 2 * rounds) {
          JsonObject frame = watcher.await(f -> "chat.message".equals(methodOf(f)) || "chat.change".equals(methodOf(f)));
          String kind = methodOf(frame).equals("chat.message") ? "m" : "c";
          long seq = frame.getAsJsonObject("params").get("seq").getAsLong();
          if (kind.equals("c")) {
            assertThat(seen).as("a change comes after the message it changes").contains("m" + seq);
          }
          seen.add(kind + seq);
        }
      }
    }
  }

  private static String methodOf(JsonObject frame) {
    return frame.has("method") ? frame.get("method").getAsString() : "";
  }

  static List<Long> revs(JsonArray changes) {
    List<Long> out = new ArrayList<>();
    changes.forEach(c -> out.add(c.getAsJsonObject().get("rev").getAsLong()));
    return out;
  }
}
