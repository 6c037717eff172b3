package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.client.CallTimeoutException;
import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionState;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-flight limit, the call and connect timeouts, and a refused connection. */
@Timeout(60)
class ClientLimitsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String echoOf(int i) {
    return "[" + i + "]";
  }

  @Test
  void callsBeyondTheLimitWaitInOrderThenComplete() throws IOException {
    try (CutProxy proxy = new CutProxy(server.port());
        ParleyClient client = ParleyClient.builder().endpoint(proxy.wsUri()).name("pool")
            .maxCallsInFlight(2).callTimeout(Duration.ofSeconds(20)).build()) {
      get(client.connect());
      proxy.pauseDownstream();
      List<Integer> completed = new CopyOnWriteArrayList<>();
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        int n = i;
        calls.add(client.echo(echoOf(i)).thenAccept(result -> completed.add(n)));
      }
      Recorder.await(() -> client.callsInFlight() == 2 && client.callsWaiting() == 4,
          () -> "in flight " + client.callsInFlight() + ", waiting " + client.callsWaiting());
      assertThat(completed).isEmpty();
      proxy.resume();
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
      assertThat(completed).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
      assertThat(completed.subList(2, 6)).as("waiting calls were released in order")
          .containsExactlyInAnyOrder(3, 4, 5, 6);
      assertThat(client.callsInFlight()).isZero();
      assertThat(client.callsWaiting()).isZero();
    }
  }

  @Test
  void aCallWithoutAnswerTimesOutAndFreesItsPlace() throws IOException {
    try (CutProxy proxy = new CutProxy(server.port());
        ParleyClient client = ParleyClient.builder().endpoint(proxy.wsUri()).name("waiter")
            .maxCallsInFlight(1).callTimeout(Duration.ofMillis(300)).build()) {
      get(client.connect());
      proxy.pauseDownstream();
      assertThatThrownBy(() -> client.echo(echoOf(1)).orTimeout(5, TimeUnit.SECONDS).join())
          .cause().isInstanceOfSatisfying(CallTimeoutException.class, e -> {
            assertThat(e.method()).isEqualTo("echo");
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
          });
      assertThat(client.callsInFlight()).isZero();
      proxy.resume();
      assertThat(get(client.echo(echoOf(2)))).isEqualTo(echoOf(2));
      assertThat(client.state()).isEqualTo(ConnectionState.OPEN);
    }
  }

  @Test
  void connectTimesOutAgainstAPortThatNeverUpgrades() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          held.add(silent.accept());
        } catch (IOException ignored) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Recorder listener = new Recorder();
      ParleyClient client = ParleyClient.builder().endpoint("ws://127.0.0.1:" + silent.getLocalPort() + "/ws")
          .connectTimeout(Duration.ofMillis(500)).listener(listener).build();
      assertThatThrownBy(() -> client.connect().orTimeout(5, TimeUnit.SECONDS).join())
          .cause().isInstanceOfSatisfying(CallTimeoutException.class,
              e -> assertThat(e.method()).isEqualTo("connect"));
      assertThat(held).as("the port accepted the connection").hasSize(1);
      assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
      Recorder.await(() -> listener.events.size() == 2, () -> "events " + listener.events);
      assertThat(listener.events.get(0)).isEqualTo("connecting");
      assertThat(listener.events.get(1)).startsWith("failed");
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void aRefusedConnectionFailsConnectAndPendingCalls() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    ParleyClient client = ParleyClient.builder().endpoint("ws://127.0.0.1:" + port + "/ws")
        .reconnect(ReconnectPolicy.defaults()).build();
    CompletableFuture<?> early = client.echo(echoOf(1));
    assertThatThrownBy(() -> client.connect().orTimeout(5, TimeUnit.SECONDS).join())
        .cause().isInstanceOf(ConnectionClosedException.class).hasMessageContaining("could not connect");
    assertThatThrownBy(() -> early.orTimeout(5, TimeUnit.SECONDS).join())
        .cause().isInstanceOf(ConnectionClosedException.class);
    client.close();
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
  }
}
