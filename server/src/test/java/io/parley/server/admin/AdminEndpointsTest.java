package io.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operations page's endpoints on a real server: who is let in (loopback without a token; the
 * token as Bearer or login cookie with one; 401 JSON otherwise, the login form for a person), the
 * snapshot, the per-second stream, and disconnecting a session.
 */
@Timeout(60)
class AdminEndpointsTest {
  static final String ADMIN = "an-admin-token-that-is-long-enough-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void withoutATokenConfiguredLoopbackClientsGetThePageSnapshotAndStream() throws Exception {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED)) {
      HttpResponse<String> page = server.get("/admin");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Parley operations").contains("/admin/vendor/uplot/uPlot.iife.min.js");
      assertThat(server.get("/admin/vendor/uplot/uPlot.iife.min.js").statusCode()).isEqualTo(200);
      assertThat(server.get("/admin/nothing.js").statusCode()).isEqualTo(404);

      JsonObject snapshot = awaitSnapshot(server, null, s -> columns(s, "nodes", s.get("self").getAsString()).size() > 0);
      assertThat(snapshot.get("seconds").getAsInt()).isEqualTo(900);
      assertThat(snapshot.getAsJsonArray("series").toString()).contains("connections", "ackP99", "close1013", "store");
      assertThat(columns(snapshot, "cluster", null).size()).isPositive();

      List<JsonObject> events = readEvents(server, null, 2);
      assertThat(events.get(1).get("t").getAsLong()).isGreaterThan(events.get(0).get("t").getAsLong());
      JsonObject cluster = events.get(1).getAsJsonObject("cluster");
      assertThat(cluster.get("store").getAsInt()).as("storage is up").isEqualTo(1);
      assertThat(cluster.get("nats").isJsonNull()).as("a single node has no NATS").isTrue();
    }
  }

  @Test
  void theWebhookOutboxIsPlottedWhileItsBackendIsUnreachable() throws Exception {
    // Port 1 on loopback refuses connections: every webhook request fails and its event waits.
    WebhookSettings hooks = new WebhookSettings(java.net.URI.create("http://127.0.0.1:1/hooks"), "s3cret-for-admin",
        WebhookSettings.DEFAULT_MAX_AGE);
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().webhooks(hooks).build());
        WsClient ann = server.member("ann", "plotted")) {
      ann.result("chat.send", "{\"room\":\"plotted\",\"text\":\"waits in the outbox\"}");
      JsonObject snapshot = awaitSnapshot(server, null,
          s -> last(s, "webhookDepth") >= 1 && last(s, "webhookAge") >= 0 && last(s, "webhookFailures") > 0);
      assertThat(snapshot.getAsJsonArray("series").toString()).contains("webhookDepth", "proxyCalls");
    }
  }

  /** The cluster's latest value of a series in a snapshot, or -1 while it has none. */
  private static double last(JsonObject snapshot, String key) {
    JsonObject cluster = snapshot.getAsJsonObject("cluster");
    JsonArray values = cluster == null ? null : cluster.getAsJsonArray(key);
    for (int i = values == null ? -1 : values.size() - 1; i >= 0; i--) {
      if (!values.get(i).isJsonNull()) {
        return values.get(i).getAsDouble();
      }
    }
    return -1;
  }

  @Test
  void withATokenConfiguredEverythingButTheLoginNeedsIt() throws Exception {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().adminToken(ADMIN).build())) {
      HttpResponse<String> page = server.get("/admin");
      assertThat(page.statusCode()).isEqualTo(401);
      assertThat(page.body()).as("a person gets the login form, nothing of the node").contains("login-form")
          .doesNotContain("fig-connections");
      assertThat(server.get("/admin/index.html").body()).contains("login-form");
      for (String path : List.of("/admin/api/snapshot", "/admin/api/stream", "/admin/app.js",
          "/admin/vendor/uplot/uPlot.iife.min.js")) {
        HttpResponse<String> refused = server.get(path);
        assertThat(refused.statusCode()).as(path).isEqualTo(401);
        assertThat(refused.body()).as(path).contains("\"status\":401").contains("PARLEY_ADMIN_TOKEN");
      }
      HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.httpUri("/admin/api/sessions/x/disconnect"))
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(post.statusCode()).isEqualTo(401);
      assertThat(get(server, "/admin/api/snapshot", "Authorization", "Bearer " + ADMIN + "x").statusCode())
          .isEqualTo(401);
      assertThat(server.get("/admin/login").statusCode()).as("the form is open").isEqualTo(200);

      assertThat(get(server, "/admin/api/snapshot", "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(200);
      assertThat(get(server, "/admin", "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(200);

      HttpResponse<String> wrongLogin = server.send(HttpRequest.newBuilder(server.httpUri("/admin/login"))
          .header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(wrongLogin.statusCode()).isEqualTo(401);
      assertThat(wrongLogin.headers().firstValue("Set-Cookie")).isEmpty();
      HttpResponse<String> login = server.send(HttpRequest.newBuilder(server.httpUri("/admin/login"))
          .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(login.statusCode()).isEqualTo(200);
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/admin")
          .doesNotContain(ADMIN);
      String pair = cookie.substring(0, cookie.indexOf(';'));
      assertThat(get(server, "/admin/api/snapshot", "Cookie", pair).statusCode()).isEqualTo(200);
      assertThat(get(server, "/admin/api/snapshot", "Cookie", pair + "0").statusCode()).isEqualTo(401);
      assertThat(readEvents(server, "Cookie:" + pair, 1)).hasSize(1);
    }
  }

  @Test
  void anOperatorDisconnectsASessionWith1008() throws Exception {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED);
        WsClient victim = server.connect()) {
      victim.result("session.hello", "{\"name\":\"mallory\"}");
      victim.result("room.join", "{\"room\":\"ops-lobby\"}");
      // The tables are made once a second: wait for one made after the join.
      JsonObject snapshot = awaitSnapshot(server, null, s -> sessionRows(s).toString().contains("ops-lobby"));
      JsonObject row = sessionRows(snapshot).get(0).getAsJsonObject();
      assertThat(row.get("user").getAsString()).isEqualTo("mallory");
      assertThat(row.get("address").getAsString()).isEqualTo("127.0.0.1");
      assertThat(row.get("transport").getAsString()).isEqualTo("websocket");
      assertThat(row.get("node").getAsString()).isEqualTo(snapshot.get("self").getAsString());
      assertThat(row.getAsJsonArray("rooms").toString()).contains("ops-lobby");
      assertThat(snapshot.getAsJsonObject("tables").getAsJsonArray("rooms").toString()).contains("ops-lobby");

      String path = "/admin/api/sessions/" + row.get("id").getAsString() + "/disconnect";
      HttpResponse<String> sibling = server.send(HttpRequest.newBuilder(server.httpUri(path))
          .header("Sec-Fetch-Site", "same-site").POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(sibling.statusCode()).as("another page of the same site").isEqualTo(403);
      assertThat(victim.isClosed()).isFalse();

      HttpResponse<String> answer = server.post(path, "");
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"code\":1008");
      assertThat(victim.awaitClose()).isEqualTo(1008);
      assertThat(server.post("/admin/api/sessions/" + row.get("id").getAsString() + "/disconnect", "").statusCode())
          .as("gone now").isEqualTo(404);
      assertThat(server.get("/admin/api/sessions/x/disconnect").statusCode()).isEqualTo(405);
    }
  }

  static JsonArray sessionRows(JsonObject snapshot) {
    return snapshot.getAsJsonObject("tables").getAsJsonArray("sessions");
  }

  private static JsonArray columns(JsonObject snapshot, String where, String node) {
    JsonObject columns = node == null ? snapshot.getAsJsonObject(where)
        : snapshot.getAsJsonObject(where).getAsJsonObject(node);
    return columns == null ? new JsonArray() : columns.getAsJsonArray("t");
  }

  private static HttpResponse<String> get(TestServer server, String path, String header, String value) {
    return server.send(HttpRequest.newBuilder(server.httpUri(path)).header(header, value).GET().build());
  }

  /** Polls the snapshot (with {@code authorization} if given) until {@code done} holds, at most {@link #WAIT}. */
  static JsonObject awaitSnapshot(TestServer server, String authorization, Predicate<JsonObject> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = authorization == null ? server.get("/admin/api/snapshot")
          : get(server, "/admin/api/snapshot", "Authorization", authorization);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      last = JsonParser.parseString(answer.body()).getAsJsonObject();
      if (done.test(last)) {
        return last;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new AssertionError("snapshot never got there in " + WAIT + "; last: " + last);
  }

  /** The first {@code count} events of the stream ({@code header} as "Name:value", or null). */
  static List<JsonObject> readEvents(TestServer server, String header, int count) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri("/admin/api/stream")).timeout(WAIT);
    if (header != null) {
      request.header(header.substring(0, header.indexOf(':')), header.substring(header.indexOf(':') + 1));
    }
    HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<JsonObject> events = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
      String line;
      while (events.size() < count && (line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          JsonElement event = JsonParser.parseString(line.substring("data: ".length()));
          events.add(event.getAsJsonObject());
        }
      }
    }
    assertThat(events).hasSize(count);
    return events;
  }
}
