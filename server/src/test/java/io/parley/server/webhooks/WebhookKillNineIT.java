package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.process.ServerProcess;
import io.parley.server.testing.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server on PostgreSQL with webhooks on, killed with SIGKILL right after 200
 * acknowledged sends while the receiver was refusing every request (so none of their events had
 * been delivered): the restarted server sends all 200, once each, in seq order per room (#18).
 */
@Timeout(300)
class WebhookKillNineIT {

  private static final int ROOMS = 2;
  private static final int EACH = 100;

  private WebhookReceiver receiver;
  private ServerProcess server;
  private String schema;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (server != null) {
      server.kill();
    }
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void allEventsOfSendsAcknowledgedBeforeAKillNineAreSentAfterTheRestart() throws Exception {
    TestPostgres.assumeAvailable();
    schema = TestPostgres.freshSchema();
    receiver = new WebhookReceiver(WebhookTests.SECRET);
    receiver.answer(503);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(Map.of(
        "PARLEY_PORT", Integer.toString(port),
        "PARLEY_HOST", "127.0.0.1",
        "PARLEY_DB_URL", TestPostgres.URL,
        "PARLEY_DB_USER", TestPostgres.USER,
        "PARLEY_DB_PASSWORD", TestPostgres.PASSWORD,
        "PARLEY_DB_SCHEMA", schema,
        "PARLEY_WEBHOOK_URL", receiver.url().toString(),
        "PARLEY_WEBHOOK_SECRET", WebhookTests.SECRET));
    server = ServerProcess.start(env);
    server.awaitPort();
    List<JsonObject> acks = WebhookTests.sendConcurrently(URI.create("ws://127.0.0.1:" + port + "/ws"), ROOMS, EACH,
        "k9");
    server.kill();
    assertThat(acks).hasSize(ROOMS * EACH);
    assertThat(receiver.stored()).as("delivered before the kill").isEmpty();
    assertThat(String.join("\n", server.output())).doesNotContain(WebhookTests.SECRET);

    receiver.answer(200);
    server = ServerProcess.start(env);
    server.awaitPort();
    assertThat(receiver.await(() -> receiver.stored().size() >= acks.size(), WebhookTests.DELIVERY))
        .as("events after the restart within %s", WebhookTests.DELIVERY).isTrue();
    assertThat(receiver.problems()).isEmpty();
    WebhookTests.assertExactlyOnceInSeqOrder(acks, receiver.stored());
    assertThat(String.join("\n", server.output())).doesNotContain(WebhookTests.SECRET);
  }
}
