package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several nodes, one chat: delivery order, presence and a NATS outage, on real PostgreSQL and NATS. */
@Timeout(120)
class ClusterTest {

  @Test
  void everyMemberOnEveryNodeGetsEveryMessageOnceInSeqOrder() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 3)) {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        WsClient client = cluster.connect(i % 3, "u" + i);
        client.result("room.join", "{\"room\":\"c1\"}");
        clients.add(client);
      }
      int perClient = 40;
      for (WsClient client : clients) {
        for (int n = 0; n < perClient; n++) {
          client.send("{\"jsonrpc\":\"2.0\",\"id\":\"s" + n + "\",\"method\":\"chat.send\",\"params\":{\"room\":\"c1\",\"text\":\"t" + n + "\"}}");
        }
      }
      List<Long> acknowledged = new ArrayList<>();
      for (WsClient client : clients) {
        for (int n = 0; n < perClient; n++) {
          String id = "s" + n;
          JsonObject reply = client.await(o -> o.has("id") && id.equals(o.get("id").getAsString()) && o.has("result"));
          acknowledged.add(reply.getAsJsonObject("result").get("seq").getAsLong());
        }
      }
      int total = clients.size() * perClient;
      assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      for (WsClient client : clients) {
        assertThat(seqs(client, total)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      }
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void presenceSpansNodesAndADepartedNodesMembersLeaveEverywhere() throws Exception {
    TestNats.assumeShared();
    try (Cluster cluster = new Cluster(TestNats.URL, 3)) {
      WsClient alice = cluster.connect(0, "alice");
      alice.result("room.join", "{\"room\":\"p\"}");
      WsClient bob = cluster.connect(1, "bob");
      bob.result("room.join", "{\"room\":\"p\"}");
      assertThat(alice.awaitNotification("room.joined").get("user").getAsString()).isEqualTo("bob");
      WsClient carol = cluster.connect(2, "carol");
      JsonObject joined = carol.result("room.join", "{\"room\":\"p\"}");
      assertThat(alice.awaitNotification("room.joined").get("user").getAsString()).isEqualTo("carol");
      assertThat(bob.awaitNotification("room.joined").get("user").getAsString()).isEqualTo("carol");
      eventually(() -> members(carol).equals(List.of("alice", "bob", "carol")));
      assertThat(joined.get("members").toString()).contains("carol");
      assertThat(members(alice)).containsExactly("alice", "bob", "carol");

      long last = alice.result("chat.send", "{\"room\":\"p\",\"text\":\"before\"}").get("seq").getAsLong();
      assertThat(carol.awaitNotification("chat.message").get("seq").getAsLong()).isEqualTo(last);
      cluster.node(2).stop();
      assertThat(carol.awaitClose()).isEqualTo(1001);
      assertThat(alice.awaitNotification("room.left").get("user").getAsString()).isEqualTo("carol");
      assertThat(bob.awaitNotification("room.left").get("user").getAsString()).isEqualTo("carol");
      eventually(() -> members(alice).equals(List.of("alice", "bob")));

      long missed = bob.result("chat.send", "{\"room\":\"p\",\"text\":\"while carol was away\"}").get("seq").getAsLong();
      WsClient carolAgain = cluster.connect(0, "carol");
      JsonObject recovered = carolAgain.result("room.join", "{\"room\":\"p\",\"since\":" + last + "}");
      assertThat(recovered.getAsJsonArray("missed")).hasSize(1);
      assertThat(recovered.getAsJsonArray("missed").get(0).getAsJsonObject().get("seq").getAsLong()).isEqualTo(missed);
      List.of(alice, bob, carol, carolAgain).forEach(WsClient::close);
    }
  }

  @Test
  void aNatsOutageLosesNoAcknowledgedMessageAndReadinessTellsIt() throws Exception {
    try (TestNats nats = TestNats.startPrivate(); Cluster cluster = new Cluster(nats.url(), 2)) {
      WsClient subscriber = cluster.connect(1, "sub");
      subscriber.result("room.join", "{\"room\":\"o\"}");
      WsClient publisher = cluster.connect(0, "pub");
      publisher.result("room.join", "{\"room\":\"o\"}");
      int total = 30;
      for (int i = 1; i <= total; i++) {
        if (i == 11) {
          nats.stop();
          eventually(() -> ready(cluster, 0) == 503);
        }
        if (i == 21) {
          nats.start();
          eventually(() -> ready(cluster, 0) == 200);
        }
        assertThat(publisher.result("chat.send", "{\"room\":\"o\",\"text\":\"m" + i + "\"}").get("seq").getAsLong()).isEqualTo(i);
      }
      assertThat(seqs(subscriber, total)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      subscriber.close();
      publisher.close();
    }
  }

  private static List<Long> seqs(WsClient client, int count) {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      seqs.add(client.awaitNotification("chat.message").get("seq").getAsLong());
    }
    return seqs;
  }

  private static List<String> members(WsClient client) {
    List<String> users = new ArrayList<>();
    client.result("room.members", "{\"room\":\"p\"}").getAsJsonArray("members").forEach(u -> users.add(u.getAsString()));
    return users;
  }

  private static int ready(Cluster cluster, int node) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + cluster.node(node).port() + "/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls a condition that other nodes make true asynchronously, for at most 20 s. */
  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
