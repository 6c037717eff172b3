package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ConnectionListener;
import io.parley.client.ConnectionState;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reconnect schedule on a virtual clock with a seeded random source: the attempts come exactly
 * when the backoff says, no sooner, the counter starts again after a success, and the client gives
 * up after the policy's attempts; after a 1001 that announces a wait, the first attempt comes
 * exactly then instead. No socket, no real time.
 */
@Timeout(10)
class ReconnectBackoffTest {
  private static final ReconnectPolicy POLICY =
      new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 3);

  private final ManualScheduler clock = new ManualScheduler();
  private final FakeTransport transport = new FakeTransport();
  private final List<String> events = new ArrayList<>();
  private final List<String> causes = new ArrayList<>();

  private ParleyClient client(long seed) {
    ConnectionListener listener = new ConnectionListener() {
      @Override
      public void onOpen(String user) {
        events.add("open " + user);
      }

      @Override
      public void onReconnecting(int attempt, Duration delay, Throwable cause) {
        events.add("reconnecting " + attempt + " in " + delay.toMillis());
        causes.add(cause.getMessage());
      }

      @Override
      public void onFailed(Throwable cause) {
        events.add("failed");
      }
    };
    ClientConfig config = new ClientConfig(URI.create("ws://test/ws"), "ann", null, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30), POLICY, 4, 16, Duration.ofHours(1), listener, new Random(seed));
    return new RealParleyClient(config, clock, Runnable::run, gate -> transport);
  }

  private static List<Long> expectedDelays(long seed, int attempts) {
    Backoff backoff = new Backoff(POLICY, new Random(seed));
    List<Long> delays = new ArrayList<>();
    for (int i = 1; i <= attempts; i++) {
      delays.add(backoff.delay(i).toMillis());
    }
    return delays;
  }

  @Test
  void attemptsFollowTheSeededBackoffThenGiveUp() {
    ParleyClient client = client(42);
    client.connect();
    clock.runDue();
    transport.accept();
    clock.runDue();
    assertThat(events).containsExactly("open ann");
    assertThat(client.state()).isEqualTo(ConnectionState.OPEN);

    List<Long> delays = expectedDelays(42, 3);
    transport.links.get(0).drop(1001);
    clock.runDue();
    for (int attempt = 1; attempt <= 3; attempt++) {
      long delay = delays.get(attempt - 1);
      assertThat(events.get(events.size() - 1)).isEqualTo("reconnecting " + attempt + " in " + delay);
      assertThat(delay).isBetween(100L, Math.min(5000L, 100L << attempt));
      int opensBefore = transport.opens.size();
      clock.advance(Duration.ofMillis(delay - 1));
      assertThat(transport.opens).as("no attempt before its delay").hasSize(opensBefore);
      clock.advance(Duration.ofMillis(1));
      assertThat(transport.opens).as("attempt " + attempt + " right on time").hasSize(opensBefore + 1);
      transport.refuse();
      clock.runDue();
    }
    assertThat(events.get(events.size() - 1)).isEqualTo("failed");
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
  }

  @Test
  void theSameSeedGivesTheSameScheduleAndSuccessResetsTheCounter() {
    ParleyClient client = client(7);
    client.connect();
    clock.runDue();
    transport.accept();
    clock.runDue();
    List<Long> delays = expectedDelays(7, 2);
    transport.links.get(0).drop(1006);
    clock.runDue();
    clock.advance(Duration.ofMillis(delays.get(0)));
    transport.refuse();
    clock.runDue();
    clock.advance(Duration.ofMillis(delays.get(1)));
    transport.accept();
    clock.runDue();
    assertThat(events).containsExactly("open ann", "reconnecting 1 in " + delays.get(0),
        "reconnecting 2 in " + delays.get(1), "open ann");
    assertThat(transport.links.get(2).requests).filteredOn(r -> r.method().equals("session.hello"))
        .extracting(r -> r.params().toString())
        .as("hello again as the same user").containsExactly("{\"name\":\"ann\"}");

    transport.links.get(2).drop(1013);
    clock.runDue();
    assertThat(events.get(events.size() - 1)).as("the counter started again")
        .startsWith("reconnecting 1 in ");
    client.close();
    clock.runDue();
  }

  /** Connects a client with this seed and returns it open. */
  private ParleyClient openClient(long seed) {
    ParleyClient client = client(seed);
    client.connect();
    clock.runDue();
    transport.accept();
    clock.runDue();
    assertThat(client.state()).isEqualTo(ConnectionState.OPEN);
    return client;
  }

  @Test
  void aShutdownsAnnouncedWaitReplacesTheFirstBackoffOnly() {
    ParleyClient client = openClient(11);
    transport.links.get(0).drop(1001, "server shutting down; retryAfterMs=2345; recover with since");
    clock.runDue();
    assertThat(events.get(events.size() - 1)).isEqualTo("reconnecting 1 in 2345");
    clock.advance(Duration.ofMillis(2344));
    assertThat(transport.opens).as("no attempt before the announced wait").hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.opens).as("the attempt right when the server said").hasSize(2);

    transport.refuse();
    clock.runDue();
    long second = new Backoff(POLICY, new Random(11)).delay(2).toMillis();
    assertThat(events.get(events.size() - 1)).as("a failed attempt falls back to the backoff")
        .isEqualTo("reconnecting 2 in " + second);
    client.close();
    clock.runDue();
  }

  @Test
  void anAnnouncedWaitIsCutToAMinute() {
    ParleyClient client = openClient(3);
    transport.links.get(0).drop(1001, "server shutting down; retryAfterMs=999999999; recover with since");
    clock.runDue();
    assertThat(events.get(events.size() - 1)).isEqualTo("reconnecting 1 in 60000");
    clock.advance(Duration.ofMillis(59_999));
    assertThat(transport.opens).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.opens).hasSize(2);
    client.close();
    clock.runDue();
  }

  @Test
  void aShutdownWithoutAReadableWaitFallsBackToTheBackoff() {
    ParleyClient client = openClient(5);
    transport.links.get(0).drop(1001, "server shutting down; retryAfterMs=soon; recover with since");
    clock.runDue();
    assertThat(events.get(events.size() - 1)).isEqualTo("reconnecting 1 in " + expectedDelays(5, 1).get(0));
    client.close();
    clock.runDue();
  }

  @Test
  void onlyA1001CarriesAShutdownsWait() {
    ParleyClient client = openClient(5);
    transport.links.get(0).drop(1013, "retryAfterMs=2345");
    clock.runDue();
    assertThat(events.get(events.size() - 1)).isEqualTo("reconnecting 1 in " + expectedDelays(5, 1).get(0));
    client.close();
    clock.runDue();
  }

  /** Lets the clock run to the next attempt, and that attempt connect. */
  private void reconnect() {
    int before = transport.opens.size();
    for (int i = 0; i < 1000 && transport.opens.size() == before; i++) {
      clock.advance(Duration.ofMillis(10));
    }
    transport.accept();
    clock.runDue();
  }

  @Test
  void aDropWithoutAReasonSaysSoInsteadOfNull() {
    ParleyClient client = openClient(5);
    transport.links.get(0).drop(1006, "null");
    reconnect();
    transport.links.get(1).drop(1006, "");
    reconnect();
    transport.links.get(2).drop(1011, "server error");
    clock.runDue();
    assertThat(causes).containsExactly("connection closed: 1006 (no reason given)",
        "connection closed: 1006 (no reason given)", "connection closed: 1011 server error");
    client.close();
    clock.runDue();
  }
}
