package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code chat.typing}, {@code room.read} and {@code room.info} across two nodes on NATS and one PostgreSQL. */
@Timeout(90)
class ClusterTypingAndInfoTest {

  @Test
  void typingCrossesNodesAndRoomInfoCountsEveryNode() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 2);
        WsClient ann = cluster.connect(0, "ann");
        WsClient bob = cluster.connect(1, "bob");
        WsClient bob2 = cluster.connect(1, "bob")) {
      ann.result("room.join", "{\"room\":\"c-typing\"}");
      bob.result("room.join", "{\"room\":\"c-typing\"}");
      bob2.result("room.join", "{\"room\":\"c-typing\"}");
      ann.send("{\"jsonrpc\":\"2.0\",\"method\":\"chat.typing\",\"params\":{\"room\":\"c-typing\"}}");
      JsonObject typing = bob.awaitNotification("chat.typing");
      assertThat(typing.get("user").getAsString()).isEqualTo("ann");
      assertThat(bob2.awaitNotification("chat.typing").get("user").getAsString()).isEqualTo("ann");

      long seq = bob.result("chat.send", "{\"room\":\"c-typing\",\"text\":\"read me\"}").get("seq").getAsLong();
      assertThat(ann.result("room.read", "{\"room\":\"c-typing\",\"seq\":" + seq + "}").get("seq").getAsLong())
          .isEqualTo(seq);
      JsonObject read = bob.awaitNotification("room.read");
      assertThat(read.get("user").getAsString()).isEqualTo("ann");
      assertThat(read.get("seq").getAsLong()).isEqualTo(seq);
      // The position lives in the shared store: a session of ann's on node B sees it when it joins.
      try (WsClient annOnB = cluster.connect(1, "ann")) {
        assertThat(annOnB.result("room.join", "{\"room\":\"c-typing\"}").get("lastRead").getAsLong()).isEqualTo(seq);
      }

      // Presence reaches the other node by announcement: wait (bounded) until node A counts all three.
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      JsonObject info = ann.result("room.info", "{\"room\":\"c-typing\"}");
      while (info.get("sessions").getAsInt() != 3) {
        assertThat(Instant.now()).as("node A counts node B's sessions within 20 s: %s", info).isBefore(deadline);
        ann.poll(f -> false, Duration.ofMillis(100));
        info = ann.result("room.info", "{\"room\":\"c-typing\"}");
      }
      assertThat(info.get("members").getAsInt()).isEqualTo(2);
    }
  }
}
