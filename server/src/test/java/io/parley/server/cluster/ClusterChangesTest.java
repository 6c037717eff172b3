package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract 1.1 edits, deletions and reactions across three nodes on NATS and one PostgreSQL: revs
 * are gap-free whichever node stores them, every member on every node gets every change once and
 * in rev order, and a direct conversation's changes reach both users on their nodes.
 */
@Timeout(120)
class ClusterChangesTest {

  private static String call(String method, String params, String id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + params + "}";
  }

  private static List<Long> revs(WsClient client, int count) {
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      revs.add(client.awaitNotification("chat.change").get("rev").getAsLong());
    }
    return revs;
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void changesFromThreeNodesReachEveryMemberOnceInRevOrder() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 3);
        WsClient a = cluster.connect(0, "ann");
        WsClient b = cluster.connect(1, "bob");
        WsClient c = cluster.connect(2, "cy")) {
      List<WsClient> all = List.of(a, b, c);
      for (WsClient client : all) {
        client.result("room.join", "{\"room\":\"shared\"}");
      }
      for (WsClient client : all) {
        client.result("chat.send", "{\"room\":\"shared\",\"text\":\"a message\"}");
      }
      for (WsClient client : all) {
        for (int i = 0; i < 3; i++) {
          client.awaitNotification("chat.message");
        }
      }
      // Everyone reacts to every message and edits its own, from three nodes at once.
      int each = 0;
      for (WsClient client : all) {
        for (int seq = 1; seq <= 3; seq++) {
          client.send(call("chat.react", "{\"room\":\"shared\",\"seq\":" + seq + ",\"emoji\":\"👍\",\"on\":true}",
              "r" + seq));
        }
        each += 3;
      }
      a.send(call("chat.edit", "{\"room\":\"shared\",\"seq\":1,\"text\":\"ann, edited\"}", "e"));
      b.send(call("chat.delete", "{\"room\":\"shared\",\"seq\":2}", "d"));
      // bob's deletion may come before some reactions to message 2, which are then refused (-32002).
      int expectedAtLeast = 1 + 1 + 3 * 2; // edit, delete, reactions to 1 and 3
      // Wait until every call is answered (a reply has an id and no method), then read the final rev.
      for (WsClient client : all) {
        int replies = client == a || client == b ? 4 : 3;
        for (int i = 0; i < replies; i++) {
          client.await(m -> m.has("id") && !m.has("method"));
        }
      }
      List<List<Long>> seen = new ArrayList<>();
      long last = a.result("room.info", "{\"room\":\"shared\"}").get("rev").getAsLong();
      assertThat(last).isBetween((long) expectedAtLeast, (long) each + 2);
      for (WsClient client : all) {
        seen.add(revs(client, (int) last));
      }
      for (List<Long> got : seen) {
        assertThat(got).as("every change once, in rev order, on every node").isEqualTo(range(1, last));
      }
      for (WsClient client : all) {
        assertThat(client.hasPending("chat.change")).isFalse();
      }
      JsonObject first = a.result("chat.history", "{\"room\":\"shared\"}").getAsJsonArray("messages").get(0)
          .getAsJsonObject();
      assertThat(first.get("text").getAsString()).isEqualTo("ann, edited");
      assertThat(first.getAsJsonObject("reactions").getAsJsonArray("👍")).hasSize(3);
      assertThat(c.result("room.join", "{\"room\":\"shared\",\"sinceRev\":0}").getAsJsonArray("changes"))
          .hasSize((int) last);
    }
  }

  @Test
  void aDirectConversationsChangesReachBothUsersOnTheirNodes() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 3);
        WsClient annA = cluster.connect(0, "ann");
        WsClient bobB = cluster.connect(1, "bob");
        WsClient bobC = cluster.connect(2, "bob")) {
      String room = annA.result("dm.send", "{\"to\":\"bob\",\"text\":\"hi\"}").get("room").getAsString();
      for (WsClient client : List.of(annA, bobB, bobC)) {
        client.awaitNotification("chat.message");
      }
      bobB.result("chat.react", "{\"room\":\"" + room + "\",\"seq\":1,\"emoji\":\"👋\",\"on\":true}");
      annA.result("chat.edit", "{\"room\":\"" + room + "\",\"seq\":1,\"text\":\"hi!\"}");
      for (WsClient client : List.of(annA, bobB, bobC)) {
        assertThat(revs(client, 2)).containsExactly(1L, 2L);
        assertThat(client.hasPending("chat.change")).isFalse();
      }
    }
  }
}
