package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.process.ServerProcess;
import io.parley.server.testing.TestPostgres;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that crashes (SIGKILL: no goodbye, no leave events) loses its members everywhere within
 * the presence expiry, and its clients recover on another node with {@code since}.
 */
@Timeout(120)
class NodeCrashIT {

  @Test
  void aKilledNodesMembersLeaveElsewhereWithinTheBoundAndRecoverOnAnotherNode() throws Exception {
    TestNats.assumeShared();
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.freshSchema();
    try (ServerProcess a = node(schema, "crash-a"); ServerProcess b = node(schema, "crash-b")) {
      WsClient alice = connect(a, "alice");
      alice.result("room.join", "{\"room\":\"crash\"}");
      WsClient bob = connect(b, "bob");
      bob.result("room.join", "{\"room\":\"crash\"}");
      assertThat(alice.awaitNotification("room.joined").get("user").getAsString()).isEqualTo("bob");
      long seen = bob.result("chat.send", "{\"room\":\"crash\",\"text\":\"before\"}").get("seq").getAsLong();

      b.kill();
      long killedAt = System.nanoTime();
      bob.awaitClose();
      long missed = alice.result("chat.send", "{\"room\":\"crash\",\"text\":\"while bob's node was down\"}")
          .get("seq").getAsLong();
      JsonObject left = alice.await(o -> o.has("method") && "room.left".equals(o.get("method").getAsString()),
          Duration.ofSeconds(30));
      long boundMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertThat(left.getAsJsonObject("params").get("user").getAsString()).isEqualTo("bob");
      assertThat(boundMs).as("room.left after the crash, ms").isLessThan(15_000);
      System.out.println("NodeCrashIT: room.left reached the other node " + boundMs + " ms after SIGKILL");

      WsClient bobAgain = connect(a, "bob");
      JsonObject recovered = bobAgain.result("room.join", "{\"room\":\"crash\",\"since\":" + seen + "}");
      assertThat(recovered.getAsJsonArray("missed")).hasSize(1);
      assertThat(recovered.getAsJsonArray("missed").get(0).getAsJsonObject().get("seq").getAsLong()).isEqualTo(missed);
      alice.close();
      bobAgain.close();
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  private static ServerProcess node(String schema, String id) throws Exception {
    return ServerProcess.start(Map.of(
        "PARLEY_PORT", "0",
        "PARLEY_DB_URL", TestPostgres.URL,
        "PARLEY_DB_USER", TestPostgres.USER,
        "PARLEY_DB_PASSWORD", TestPostgres.PASSWORD,
        "PARLEY_DB_SCHEMA", schema,
        "PARLEY_NATS_URL", TestNats.URL,
        "PARLEY_NODE_ID", id));
  }

  private static WsClient connect(ServerProcess node, String user) {
    WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + node.awaitPort() + "/ws"));
    client.result("session.hello", "{\"name\":\"" + user + "\"}");
    return client;
  }
}
