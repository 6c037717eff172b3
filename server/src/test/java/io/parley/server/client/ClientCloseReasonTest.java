package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ConnectionListener;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a person reads when the network drops a client's connection: no Jetty "null" in it. */
@Timeout(60)
class ClientCloseReasonTest {

  @Test
  void anAbnormalDropReadsAsOneWithoutAReason() throws Exception {
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    ConnectionListener listener = new ConnectionListener() {
      @Override
      public void onReconnecting(int attempt, Duration delay, Throwable cause) {
        lost.complete(cause);
      }
    };
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED); CutProxy proxy = new CutProxy(server.port());
        ParleyClient client = ParleyClient.builder().endpoint(proxy.wsUri()).name("dora").listener(listener)
            .reconnect(ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(400))).build()) {
      get(client.connect());
      proxy.cut();
      Throwable cause = lost.get(20, TimeUnit.SECONDS);
      assertThat(cause).hasMessageStartingWith("connection closed: 1006 ").hasMessageNotContaining("null");
    }
  }
}
