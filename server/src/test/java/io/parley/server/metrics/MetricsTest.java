package io.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.auth.Tokens;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import io.parley.server.metrics.PrometheusText.Family;
import io.parley.server.metrics.PrometheusText.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics} of a real server, read with a strict parser of the Prometheus text format
 * ({@link PrometheusText}): latency histograms with buckets, session counters by close code (1000
 * and a provoked 1013), delivered notifications, origin refusals, authentication failures,
 * HikariCP, Jetty, JVM and GC, uptime and build info, each with its Prometheus type.
 */
@Timeout(120)
class MetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TestServer server;

  @BeforeAll
  static void start() {
    // A small slow-consumer limit so that a client that stops reading is closed with 1013 soon.
    server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().outboundLimit(16 * 1024).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void sendAckCommitAndDeliveryLatenciesAreHistogramsWithBuckets() {
    try (WsClient ws = server.connect()) {
      ws.result("room.join", "{\"room\":\"buckets\"}");
      ws.result("chat.send", "{\"room\":\"buckets\",\"text\":\"hi\"}");
    }
    // The delivery round records its lag after the fan-out, which may end after the ack.
    awaitSample("parley_delivery_lag_seconds_count", Map.of(), v -> v >= 1);
    Map<String, Family> metrics = metrics();
    Map<String, String> sends = Map.of("method", "chat.send", "code", "0");
    for (String histogram : List.of("parley_rpc_calls_seconds", "parley_store_commit_seconds", "parley_delivery_lag_seconds")) {
      Family family = metrics.get(histogram);
      assertThat(family).as(histogram).isNotNull();
      assertThat(family.type()).as(histogram).isEqualTo("histogram");
      Map<String, String> series = histogram.equals("parley_rpc_calls_seconds") ? sends : Map.of();
      assertThat(family.samples(histogram + "_bucket", series)).as(histogram + " buckets").hasSizeGreaterThan(10)
          .anyMatch(b -> b.labels().get("le").equals("0.001"));
      assertThat(family.samples(histogram + "_bucket", with(series, "le", "+Inf"))).singleElement()
          .matches(b -> b.value() >= 1, "counts the call");
      assertThat(family.samples(histogram + "_sum", series)).singleElement().matches(s -> s.value() > 0, "a positive sum");
      assertThat(family.samples(histogram + "_count", series)).singleElement().matches(s -> s.value() >= 1, "a count");
    }
  }

  @Test
  void theCountersAreCountersAndTheGaugesGauges() {
    Map<String, Family> metrics = metrics();
    Map<String, String> types = new LinkedHashMap<>();
    types.put("parley_notifications_delivered_total", "counter");
    types.put("parley_sessions_opened_total", "counter");
    types.put("parley_origin_refused_total", "counter");
    types.put("parley_auth_failures_total", "counter");
    types.put("parley_sessions", "gauge");
    types.put("parley_rooms", "gauge");
    types.put("parley_outbound_unwritten_bytes", "gauge");
    types.put("parley_build_info", "gauge");
    types.put("process_uptime_seconds", "gauge");
    types.put("process_start_time_seconds", "gauge");
    types.put("hikaricp_connections", "gauge");
    types.put("hikaricp_connections_acquire_seconds", "summary");
    types.put("jetty_threads_busy", "gauge");
    types.put("jetty_threads_config_max", "gauge");
    types.put("jetty_connections_current_connections", "gauge");
    types.put("jvm_memory_used_bytes", "gauge");
    types.put("jvm_threads_live_threads", "gauge");
    types.put("jvm_gc_memory_allocated_bytes_total", "counter");
    types.put("jvm_gc_live_data_size_bytes", "gauge");
    for (Map.Entry<String, String> expected : types.entrySet()) {
      assertThat(metrics.get(expected.getKey())).as(expected.getKey()).isNotNull()
          .extracting(Family::type).isEqualTo(expected.getValue());
    }
    assertThat(metrics.get("hikaricp_connections").samples()).extracting(s -> s.labels().get("pool"))
        .contains("parley-store-write", "parley-store-read");
    assertThat(metrics.get("jetty_connections_current_connections").samples())
        .anyMatch(s -> "http".equals(s.labels().get("connector_name")));
    assertThat(metrics.get("parley_build_info").samples()).singleElement()
        .matches(s -> s.value() == 1 && s.labels().get("version").equals("dev") && s.labels().containsKey("node")
            && s.labels().containsKey("java"), "version, node and java, value 1");
    assertThat(sample("process_uptime_seconds", Map.of())).isPositive();
  }

  @Test
  void aNormalCloseCounts1000() {
    double before = sample("parley_sessions_closed_total", Map.of("code", "1000"));
    double opened = sample("parley_sessions_opened_total", Map.of());
    try (WsClient ws = server.connect()) {
      ws.call("echo", "[1]");
    }
    awaitSample("parley_sessions_closed_total", Map.of("code", "1000"), v -> v >= before + 1);
    assertThat(sample("parley_sessions_opened_total", Map.of())).isGreaterThanOrEqualTo(opened + 1);
  }

  @Test
  void aSlowConsumerClosedWith1013IsCountedByItsCode() throws Exception {
    double before = sample("parley_sessions_closed_total", Map.of("code", "1013"));
    double joins = sample("parley_rpc_calls_seconds_count", Map.of("method", "room.join"));
    try (RawWebSocket slow = RawWebSocket.connect(server.port(), 4096)) {
      slow.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"slow\"}}");
      awaitSample("parley_rpc_calls_seconds_count", Map.of("method", "room.join"), v -> v >= joins + 1);
      String body = "{\"text\":\"" + "x".repeat(4000) + "\"}";
      Instant deadline = Instant.now().plus(WAIT);
      // Publishes over HTTP until the slow session's queued notifications pass 16 KiB on top of
      // what the sockets' buffers hold; the server closes it with 1013 and aborts it 3 s later,
      // since the close frame waits behind what the client never reads.
      while (sample("parley_sessions_closed_total", Map.of("code", "1013")) < before + 1) {
        assertThat(Instant.now()).as("1013 counted within %s: %s", WAIT, closeCounts()).isBefore(deadline);
        for (int i = 0; i < 50; i++) {
          assertThat(server.post("/api/rooms/slow/messages", body).statusCode()).isLessThan(300);
        }
      }
    }
    assertThat(sample("parley_limits_tripped_total", Map.of("limit", "slow_consumer"))).isGreaterThanOrEqualTo(1);
    assertThat(sample("parley_notifications_delivered_total", Map.of())).isGreaterThan(0);
  }

  private static String closeCounts() {
    return metrics().get("parley_sessions_closed_total").samples().toString();
  }

  @Test
  void aForeignOriginIsCounted() throws Exception {
    double before = sample("parley_origin_refused_total", Map.of());
    assertThat(RawWebSocket.upgradeStatus(server.port(), "Origin: https://evil.example\r\n")).contains(" 403 ");
    assertThat(sample("parley_origin_refused_total", Map.of())).isEqualTo(before + 1);
  }

  @Test
  void aRefusedTokenCountsAsAnAuthenticationFailure() {
    try (TestServer tokens = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withJwtSecret(Tokens.SECRET))) {
      int status = tokens.send(HttpRequest.newBuilder(tokens.httpUri("/rpc"))
          .header("Authorization", "Bearer " + Tokens.wronglySigned("mallory"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}"))
          .build()).statusCode();
      assertThat(status).isEqualTo(401);
      assertThat(sample(PrometheusText.parse(tokens.get("/metrics").body()), "parley_auth_failures_total", Map.of()))
          .isEqualTo(1);
    }
  }

  @Test
  void connectionsAreCountedOpenAndClosedWithTheirLifetimes() {
    Map<String, String> http = Map.of("connector_name", "http");
    double lifetimes = sample("jetty_connections_request_seconds_count", Map.of("connector_name", "http", "type", "server"));
    double requests = sample("jetty_connections_messages_in_messages_total", http);
    double open = sample("jetty_connections_current_connections", http);
    List<WsClient> clients = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        clients.add(server.connect());
      }
      awaitSample("jetty_connections_current_connections", http, v -> v >= open + 20);
      assertThat(sample("jetty_connections_max_connections", http)).isGreaterThanOrEqualTo(open + 20);
    } finally {
      clients.forEach(WsClient::close);
    }
    awaitSample("jetty_connections_current_connections", http, v -> v <= open);
    // Each WebSocket closed two Jetty connections: the HTTP one it upgraded from, then its own.
    awaitSample("jetty_connections_request_seconds_count", Map.of("connector_name", "http", "type", "server"),
        v -> v >= lifetimes + 40);
    assertThat(sample("jetty_connections_request_seconds_sum", http)).isPositive();
    assertThat(sample("jetty_connections_messages_in_messages_total", http)).as("the 20 upgrade requests")
        .isGreaterThanOrEqualTo(requests + 20);
  }

  /** {@code /metrics}, parsed as Prometheus would (a malformed exposition fails the test). */
  private static Map<String, Family> metrics() {
    return PrometheusText.parse(server.get("/metrics").body());
  }

  /** Polls {@code /metrics} until the sample passes {@code test}, at most {@link #WAIT}. */
  private static void awaitSample(String name, Map<String, String> labels, DoublePredicate test) {
    Instant deadline = Instant.now().plus(WAIT);
    double value;
    while (!test.test(value = sample(name, labels))) {
      assertThat(Instant.now()).as("%s%s (now %s) within %s", name, labels, value, WAIT).isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  private static double sample(String name, Map<String, String> labels) {
    return sample(metrics(), name, labels);
  }

  /** The sum of the samples called {@code name} whose labels include {@code labels}; 0 when there is none. */
  static double sample(Map<String, Family> metrics, String name, Map<String, String> labels) {
    return metrics.values().stream().flatMap(f -> f.samples(name, labels).stream()).mapToDouble(Sample::value).sum();
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(name, value);
    return more;
  }
}
