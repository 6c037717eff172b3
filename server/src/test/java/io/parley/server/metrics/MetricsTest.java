package io.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.auth.Tokens;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics} of a real server: latency histograms with buckets, session counters by close
 * code (1000 and a provoked 1013), delivered notifications, origin refusals, authentication
 * failures, HikariCP, Jetty, JVM, uptime and build info.
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
  void sendAckCommitAndDeliveryLatenciesHaveHistogramBuckets() {
    try (WsClient ws = server.connect()) {
      ws.result("room.join", "{\"room\":\"buckets\"}");
      ws.result("chat.send", "{\"room\":\"buckets\",\"text\":\"hi\"}");
    }
    // The delivery round records its lag after the fan-out, which may end after the ack.
    awaitSample("parley_delivery_lag_seconds_count", "", v -> v >= 1);
    String metrics = metrics();
    assertThat(metrics)
        .containsPattern("(?m)^parley_rpc_calls_seconds_bucket\\{code=\"0\",method=\"chat.send\",le=\"0.001\"} ")
        .containsPattern("(?m)^parley_rpc_calls_seconds_bucket\\{code=\"0\",method=\"chat.send\",le=\"\\+Inf\"} [1-9]")
        .containsPattern("(?m)^parley_store_commit_seconds_bucket\\{le=\"5.0E-4\"} ")
        .containsPattern("(?m)^parley_store_commit_seconds_bucket\\{le=\"10.0\"} [1-9]")
        .containsPattern("(?m)^parley_store_commit_seconds_count [1-9]")
        .containsPattern("(?m)^parley_delivery_lag_seconds_bucket\\{le=\"0.001\"} ")
        .containsPattern("(?m)^parley_delivery_lag_seconds_bucket\\{le=\"\\+Inf\"} [1-9]");
  }

  @Test
  void aNormalCloseCounts1000() {
    double before = sample(metrics(), "parley_sessions_closed_total", "code=\"1000\"");
    double opened = sample(metrics(), "parley_sessions_opened_total", "");
    try (WsClient ws = server.connect()) {
      ws.call("echo", "[1]");
    }
    awaitSample("parley_sessions_closed_total", "code=\"1000\"", v -> v >= before + 1);
    assertThat(sample(metrics(), "parley_sessions_opened_total", "")).isGreaterThanOrEqualTo(opened + 1);
  }

  @Test
  void aSlowConsumerClosedWith1013IsCountedByItsCode() throws Exception {
    double before = sample(metrics(), "parley_sessions_closed_total", "code=\"1013\"");
    double joins = sample(metrics(), "parley_rpc_calls_seconds_count", "method=\"room.join\"");
    try (RawWebSocket slow = RawWebSocket.connect(server.port(), 4096)) {
      slow.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"slow\"}}");
      awaitSample("parley_rpc_calls_seconds_count", "method=\"room.join\"", v -> v >= joins + 1);
      String body = "{\"text\":\"" + "x".repeat(4000) + "\"}";
      Instant deadline = Instant.now().plus(WAIT);
      // Publishes over HTTP until the slow session's queued notifications pass 16 KiB on top of
      // what the sockets' buffers hold; the server closes it with 1013 and aborts it 3 s later,
      // since the close frame waits behind what the client never reads.
      while (sample(metrics(), "parley_sessions_closed_total", "code=\"1013\"") < before + 1) {
        assertThat(Instant.now()).as("1013 counted within %s: %s", WAIT, closeCounts()).isBefore(deadline);
        for (int i = 0; i < 50; i++) {
          assertThat(server.post("/api/rooms/slow/messages", body).statusCode()).isLessThan(300);
        }
      }
    }
    assertThat(sample(metrics(), "parley_limits_tripped_total", "limit=\"slow_consumer\"")).isGreaterThanOrEqualTo(1);
    assertThat(sample(metrics(), "parley_notifications_delivered_total", "")).isGreaterThan(0);
  }

  private static String closeCounts() {
    return metrics().lines().filter(l -> l.startsWith("parley_sessions_closed_total")).toList().toString();
  }

  @Test
  void aForeignOriginIsCounted() throws Exception {
    double before = sample(metrics(), "parley_origin_refused_total", "");
    assertThat(RawWebSocket.upgradeStatus(server.port(), "Origin: https://evil.example\r\n")).contains(" 403 ");
    assertThat(sample(metrics(), "parley_origin_refused_total", "")).isEqualTo(before + 1);
  }

  @Test
  void poolsJettyJvmUptimeAndBuildInfoArePresent() {
    String metrics = metrics();
    for (String pattern : List.of(
        "^hikaricp_connections\\{pool=\"parley-store-write\"} ",
        "^hikaricp_connections\\{pool=\"parley-store-read\"} ",
        "^hikaricp_connections_acquire_seconds_count\\{pool=\"parley-store-read\"} ",
        "^jetty_threads_busy ",
        "^jetty_threads_config_max ",
        "^jetty_connections_current_connections\\{connector_name=\"http\"} ",
        "^jetty_connections_messages_in_messages_total\\{connector_name=\"http\"} ",
        "^parley_auth_failures_total 0",
        "^jvm_memory_used_bytes\\{",
        "^jvm_gc_memory_allocated_bytes_total ",
        "^jvm_classes_loaded_classes ",
        "^process_uptime_seconds ",
        "^process_files_open_files ",
        "^parley_build_info\\{java=\"[^\"]+\",node=\"[^\"]+\",version=\"dev\"} 1")) {
      assertThat(Pattern.compile(pattern, Pattern.MULTILINE).matcher(metrics).find()).as(pattern).isTrue();
    }
  }

  @Test
  void aRefusedTokenCountsAsAnAuthenticationFailure() {
    try (TestServer tokens = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withJwtSecret(Tokens.SECRET))) {
      int status = tokens.send(HttpRequest.newBuilder(tokens.httpUri("/rpc"))
          .header("Authorization", "Bearer " + Tokens.wronglySigned("mallory"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}"))
          .build()).statusCode();
      assertThat(status).isEqualTo(401);
      assertThat(sample(tokens.get("/metrics").body(), "parley_auth_failures_total", "")).isEqualTo(1);
    }
  }

  private static String metrics() {
    return server.get("/metrics").body();
  }

  /** Polls {@code /metrics} until the sample passes {@code test}, at most {@link #WAIT}. */
  private static void awaitSample(String name, String label, DoublePredicate test) {
    Instant deadline = Instant.now().plus(WAIT);
    double value;
    while (!test.test(value = sample(metrics(), name, label))) {
      assertThat(Instant.now()).as("%s{%s} (now %s) within %s", name, label, value, WAIT).isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  /** The sum of the samples of {@code name} whose labels contain {@code label}; 0 when there is none. */
  static double sample(String metrics, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
    double sum = 0;
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      if (labels.contains(label)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
