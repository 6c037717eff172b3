package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.ParleyServer;
import io.parley.server.config.ServerConfig;
import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes on one PostgreSQL schema, both sending webhooks to one receiver (#18): every event
 * arrives once, in seq order per room, and the two nodes' delivered counters add up to exactly
 * the number of events, so no event was POSTed successfully by both. No NATS: webhooks need only
 * the shared outbox.
 */
@Timeout(300)
class WebhooksTwoNodesPostgresTest {

  private final List<ParleyServer> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private WebhookReceiver receiver;
  private String schema;

  @AfterEach
  void stop() {
    nodes.forEach(ParleyServer::stop);
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void twoNodesSendEachEventOnceInSeqOrderPerRoom() throws Exception {
    TestPostgres.assumeAvailable();
    schema = TestPostgres.freshSchema();
    receiver = new WebhookReceiver(WebhookTests.SECRET);
    for (String node : List.of("hooks-a", "hooks-b")) {
      ServerConfig config = ServerConfig.defaults().withPort(0)
          .withDatabase(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, schema)
          .withSessionLimits(1_000_000, 1_000_000, ServerConfig.DEFAULT_MAX_SESSIONS_PER_ADDRESS,
              ServerConfig.DEFAULT_MAX_ROOMS_PER_SESSION, ServerConfig.DEFAULT_PING_INTERVAL)
          .toBuilder().nodeId(node)
          .webhooks(new WebhookSettings(receiver.url(), WebhookTests.SECRET, WebhookSettings.DEFAULT_MAX_AGE)).build();
      nodes.add(ParleyServer.start(config));
    }
    // both nodes append to the same rooms at once
    CompletableFuture<List<JsonObject>> onA = CompletableFuture.supplyAsync(() -> send(0, "a"));
    CompletableFuture<List<JsonObject>> onB = CompletableFuture.supplyAsync(() -> send(1, "b"));
    List<JsonObject> acks = new ArrayList<>(onA.get());
    acks.addAll(onB.get());
    assertThat(acks).hasSize(400);
    assertThat(receiver.await(() -> receiver.stored().size() >= acks.size(), WebhookTests.DELIVERY)).isTrue();
    assertThat(receiver.problems()).isEmpty();
    WebhookTests.assertExactlyOnceInSeqOrder(acks, receiver.stored());

    // The senders' sessions also caused presence events; once every room is vacated and every
    // user offline (the clients have closed), no event is left to come.
    PresenceEvents presence = new PresenceEvents(receiver);
    assertThat(receiver.await(() -> settled(presence), WebhookTests.DELIVERY)).as("presence settled: %s",
        presence.all()).isTrue();
    int events = receiver.accepted().size();
    assertThat(receiver.accepted()).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
    // a node counts a delivery once the answer is back, a moment after the receiver recorded it
    double delivered = WebhookTests.awaitValue(this::deliveredOnBothNodes, sum -> sum >= events);
    assertThat(delivered).as("events delivered by the two nodes together").isEqualTo(events);
    assertThat(receiver.accepted()).hasSize(events);
  }

  /** Each room the senders used was vacated last, and each of their users went offline last. */
  private static boolean settled(PresenceEvents presence) {
    for (int i = 0; i < 4; i++) {
      List<String> room = presence.ofRoom("hooks-" + i);
      List<String> user = presence.ofUser("u" + i);
      if (room.isEmpty() || !room.get(room.size() - 1).equals(PresenceEvents.VACATED)
          || user.isEmpty() || !user.get(user.size() - 1).equals(PresenceEvents.OFFLINE)) {
        return false;
      }
    }
    return true;
  }

  private List<JsonObject> send(int node, String prefix) {
    try {
      return WebhookTests.sendConcurrently(URI.create("ws://127.0.0.1:" + nodes.get(node).port() + "/ws"), 4, 50,
          prefix);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private double deliveredOnBothNodes() {
    double sum = 0;
    for (ParleyServer node : nodes) {
      try {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        sum += WebhookTests.counter(metrics, "parley_webhooks_delivered_total");
      } catch (Exception e) {
        throw new IllegalStateException("GET /metrics of node on " + node.port(), e);
      }
    }
    return sum;
  }
}
