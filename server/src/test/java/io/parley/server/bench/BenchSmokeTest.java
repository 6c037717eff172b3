package io.parley.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.BenchOptions;
import io.parley.bench.ConnectScenario;
import io.parley.bench.EchoScenario;
import io.parley.bench.FanoutScenario;
import io.parley.bench.PersistScenario;
import io.parley.bench.Result;
import io.parley.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the benchmark tool from rotting: runs its scenarios for a couple of seconds against a real
 * server on the embedded store and checks only that every call was answered and nothing was lost.
 * No speed is asserted; the figures depend on the machine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchSmokeTest {
  private static TestServer server;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private BenchOptions options() {
    return BenchOptions.defaults()
        .with("--url", server.wsUri().toString())
        .with("--duration", "2")
        .with("--warmup", "0.5")
        .with("--drain", "10");
  }

  private PrintStream out() {
    return new PrintStream(log, true, StandardCharsets.UTF_8);
  }

  @Test
  void echoClosedLoopAnswersEveryCall() throws Exception {
    Result r = EchoScenario.run(options().with("--conns", "10").validated(), out());

    assertThat(r.number("completed")).as(r.json()).isPositive();
    assertThat(r.number("errors")).as(r.json()).isZero();
    assertThat(r.number("unanswered")).as(r.json()).isZero();
    assertThat(r.number("closed_conns")).as(r.json()).isZero();
  }

  @Test
  void echoOpenLoopKeepsTheSchedule() throws Exception {
    Result r = EchoScenario.run(options().with("--conns", "5").with("--rate", "500").validated(), out());

    assertThat(r.number("completed")).as(r.json()).isEqualTo(1000);
    assertThat(r.number("errors")).as(r.json()).isZero();
    assertThat(r.number("unanswered")).as(r.json()).isZero();
  }

  @Test
  void fanoutDeliversEveryMessageToEveryMember() throws Exception {
    Result r = FanoutScenario.run(
        options().with("--members", "20").with("--rate", "50").with("--room", "smoke").validated(), out());

    assertThat(r.number("join_errors")).as(r.json()).isZero();
    assertThat(r.number("sent")).as(r.json()).isEqualTo(100);
    assertThat(r.number("acked")).as(r.json()).isEqualTo(100);
    assertThat(r.number("send_errors")).as(r.json()).isZero();
    assertThat(r.number("delivered")).as(r.json()).isEqualTo(2000);
    assertThat(r.number("lost")).as(r.json()).isZero();
  }

  @Test
  void fanoutSweepGivesOneResultPerRate() throws Exception {
    List<Result> results = FanoutScenario.sweep(options().with("--members", "10").with("--rates", "20,50")
        .with("--duration", "1").with("--room", "smoke-sweep").validated(), out());

    assertThat(results).hasSize(2);
    assertThat(results.get(0).number("sent")).as(results.get(0).json()).isEqualTo(20);
    assertThat(results.get(1).number("sent")).as(results.get(1).json()).isEqualTo(50);
    for (Result r : results) {
      assertThat(r.number("lost")).as(r.json()).isZero();
      assertThat(r.number("send_errors")).as(r.json()).isZero();
    }
  }

  @Test
  void connectOpensJoinsAndHoldsEveryConnection() throws Exception {
    Result r = ConnectScenario.run(options().with("--conns", "200").with("--concurrency", "16")
        .with("--warmup-conns", "20").with("--join", "true").with("--rooms", "4").with("--room", "smoke-conn")
        .with("--hold", "0.5").validated(), out());

    assertThat(r.number("conns_open")).as(r.json()).isEqualTo(200);
    assertThat(r.number("failures")).as(r.json()).isZero();
    assertThat(r.number("handshake_max_ms")).as(r.json()).isPositive();
    assertThat(r.number("joined")).as(r.json()).isEqualTo(200);
    assertThat(r.number("join_errors")).as(r.json()).isZero();
    assertThat(r.number("alive_after_hold")).as(r.json()).isEqualTo(200);
  }

  @Test
  void persistAcknowledgesEveryStoredSend() throws Exception {
    Result r = PersistScenario.run(options().with("--conns", "5").with("--rooms", "5").with("--inflight", "2")
        .with("--room", "smoke-persist").validated(), out());

    assertThat(r.number("acked")).as(r.json()).isPositive();
    assertThat(r.number("acked")).as(r.json()).isEqualTo(r.number("sent"));
    assertThat(r.number("join_errors")).as(r.json()).isZero();
    assertThat(r.number("send_errors")).as(r.json()).isZero();
    assertThat(r.number("unanswered")).as(r.json()).isZero();
    assertThat(r.fields().get("error_codes")).as(r.json()).isEqualTo("none");
  }

  @Test
  void persistOpenLoopKeepsTheSchedule() throws Exception {
    Result r = PersistScenario.run(options().with("--conns", "5").with("--rooms", "2").with("--rate", "200")
        .with("--room", "smoke-persist-open").validated(), out());

    assertThat(r.number("sent")).as(r.json()).isEqualTo(400);
    assertThat(r.number("acked")).as(r.json()).isEqualTo(400);
    assertThat(r.number("send_errors")).as(r.json()).isZero();
  }
}
