package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.WsClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operations page across nodes: node A's admin stream carries node B's figures (heard over
 * NATS) and the cluster's total, and A's snapshot lists B's sessions. Own NATS server, so other
 * tests' nodes are not heard.
 */
@Timeout(90)
class AdminFiguresClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int ON_B = 3;

  @Test
  void nodeAsStreamReportsNodeBsConnections() throws Exception {
    try (TestNats nats = TestNats.startPrivate(); Cluster cluster = new Cluster(nats.url(), 2)) {
      String b = cluster.node(1).config().nodeId();
      List<WsClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < ON_B; i++) {
          clients.add(cluster.connect(1, "b" + i));
        }
        JsonObject event = awaitEvent(cluster.node(0).port(), e -> e.getAsJsonObject("nodes").has(b)
            && e.getAsJsonObject("nodes").getAsJsonObject(b).get("sessions").getAsInt() == ON_B);
        JsonObject a = event.getAsJsonObject("nodes").getAsJsonObject(cluster.node(0).config().nodeId());
        assertThat(a).as("A shows itself too").isNotNull();
        assertThat(event.getAsJsonObject("cluster").get("sessions").getAsInt())
            .isEqualTo(a.get("sessions").getAsInt() + ON_B);
        assertThat(event.getAsJsonObject("nodes").getAsJsonObject(b).get("nats").getAsInt()).isEqualTo(1);
        assertThat(event.getAsJsonObject("tables").getAsJsonArray("sessions").toString())
            .as("B's sessions in A's table").contains("\"node\":\"" + b + "\"").contains("\"user\":\"b0\"");

        // An operator on A's page disconnects a session of B: A asks B over NATS, B closes it with 1008.
        String id = null;
        for (var row : event.getAsJsonObject("tables").getAsJsonArray("sessions")) {
          if ("b0".equals(row.getAsJsonObject().get("user").getAsString())) {
            id = row.getAsJsonObject().get("id").getAsString();
          }
        }
        HttpResponse<String> asked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.node(0).port() + "/admin/api/sessions/" + id + "/disconnect"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        assertThat(asked.body()).contains("\"node\":\"" + b + "\"");
        assertThat(clients.get(0).awaitClose()).isEqualTo(1008);
        assertThat(clients.get(1).isClosed()).isFalse();
      } finally {
        clients.forEach(WsClient::close);
      }
    }
  }

  private interface Check {
    boolean test(JsonObject event);
  }

  /** Reads node {@code port}'s admin stream (loopback: no token needed) until an event passes {@code done}. */
  private static JsonObject awaitEvent(int port, Check done) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/api/stream"))
        .timeout(WAIT).build();
    HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(answer.statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonObject last = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
      String line;
      // An event comes every second, so the deadline is checked at least that often.
      while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          last = JsonParser.parseString(line.substring("data: ".length())).getAsJsonObject();
          if (done.test(last)) {
            return last;
          }
        }
      }
    }
    throw new AssertionError("no such event from node A within " + WAIT + "; last: " + last);
  }
}
