package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Contract 1.1 direct messages between users on different nodes, on NATS and one PostgreSQL. */
@Timeout(120)
class ClusterDirectMessagesTest {

  private static String dmSend(String to, String text) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + text + "\",\"method\":\"dm.send\",\"params\":{\"to\":\"" + to
        + "\",\"text\":\"" + text + "\"}}";
  }

  /** The seqs of the next {@code count} chat.message notifications of {@code room}. */
  private static List<Long> seqs(WsClient client, String room, int count) {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject m = client.awaitNotification("chat.message");
      assertThat(m.get("room").getAsString()).isEqualTo(room);
      seqs.add(m.get("seq").getAsLong());
    }
    return seqs;
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void everySessionOfBothUsersOnEveryNodeGetsEachMessageOnceInOrder() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 3);
        WsClient annA = cluster.connect(0, "ann");
        WsClient annC = cluster.connect(2, "ann");
        WsClient bobB = cluster.connect(1, "bob");
        WsClient bobC = cluster.connect(2, "bob");
        WsClient mal = cluster.connect(1, "mal")) {
      List<WsClient> all = List.of(annA, annC, bobB, bobC);
      JsonObject first = annA.result("dm.send", "{\"to\":\"bob\",\"text\":\"hi bob\"}");
      String room = first.get("room").getAsString();
      for (WsClient c : all) {
        JsonObject m = c.awaitNotification("chat.message");
        assertThat(m.get("seq").getAsLong()).isEqualTo(1);
        assertThat(m.get("to").getAsString()).isEqualTo("bob");
      }

      // Both users write at once from two nodes: every session sees 2..21 once, in seq order.
      for (int i = 0; i < 10; i++) {
        annA.send(dmSend("bob", "a" + i));
        bobB.send(dmSend("ann", "b" + i));
      }
      for (WsClient c : all) {
        assertThat(seqs(c, room, 20)).isEqualTo(range(2, 21));
      }

      // A session that joined the conversation on another node still gets each message once.
      assertThat(bobC.result("room.join", "{\"room\":\"" + room + "\",\"since\":21}").getAsJsonArray("missed")).isEmpty();
      annA.result("dm.send", "{\"to\":\"bob\",\"text\":\"joined\"}");
      for (WsClient c : all) {
        assertThat(seqs(c, room, 1)).containsExactly(22L);
      }
      assertThat(mal.call("room.join", "{\"room\":\"" + room + "\"}").getAsJsonObject("error").get("code").getAsInt())
          .isEqualTo(-32002);
      for (WsClient c : List.of(annA, annC, bobB, bobC, mal)) {
        assertThat(c.hasPending("chat.message")).as("nothing twice, nothing to others").isFalse();
      }
      JsonObject listed = bobB.result("dm.list", "{}").getAsJsonArray("conversations").get(0).getAsJsonObject();
      assertThat(listed.get("room").getAsString()).isEqualTo(room);
      assertThat(listed.get("with").getAsString()).isEqualTo("ann");
      assertThat(listed.get("seq").getAsLong()).isEqualTo(22);
    }
  }

  @Test
  void aUserBackOnAnotherNodeRecoversThroughTheListAndAJoinWithSince() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 2); WsClient lou = cluster.connect(0, "lou")) {
      String room;
      try (WsClient kim = cluster.connect(1, "kim")) {
        room = lou.result("dm.send", "{\"to\":\"kim\",\"text\":\"before\"}").get("room").getAsString();
        assertThat(kim.awaitNotification("chat.message").get("seq").getAsLong()).isEqualTo(1);
      }
      for (int i = 0; i < 3; i++) {
        lou.result("dm.send", "{\"to\":\"kim\",\"text\":\"away " + i + "\"}");
      }
      try (WsClient back = cluster.connect(0, "kim")) {
        JsonObject conversation = back.result("dm.list", "{}").getAsJsonArray("conversations").get(0).getAsJsonObject();
        assertThat(conversation.get("room").getAsString()).isEqualTo(room);
        assertThat(conversation.get("seq").getAsLong()).isEqualTo(4);
        List<Long> missed = new ArrayList<>();
        back.result("room.join", "{\"room\":\"" + room + "\",\"since\":1}").getAsJsonArray("missed")
            .forEach(m -> missed.add(m.getAsJsonObject().get("seq").getAsLong()));
        assertThat(missed).containsExactly(2L, 3L, 4L);
        // From the other node, live again, once.
        try (WsClient louOnB = cluster.connect(1, "lou")) {
          louOnB.result("dm.send", "{\"to\":\"kim\",\"text\":\"live\"}");
          assertThat(seqs(back, room, 1)).containsExactly(5L);
          assertThat(seqs(louOnB, room, 1)).containsExactly(5L);
        }
        assertThat(back.hasPending("chat.message")).isFalse();
      }
    }
  }
}
