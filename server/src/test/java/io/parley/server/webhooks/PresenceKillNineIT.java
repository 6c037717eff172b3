package io.parley.server.webhooks;

import static io.parley.server.webhooks.PresenceEvents.OCCUPIED;
import static io.parley.server.webhooks.PresenceEvents.OFFLINE;
import static io.parley.server.webhooks.PresenceEvents.ONLINE;
import static io.parley.server.webhooks.PresenceEvents.VACATED;

import io.parley.server.ParleyServer;
import io.parley.server.config.ServerConfig;
import io.parley.server.config.WebhookSettings;
import io.parley.server.process.ServerProcess;
import io.parley.server.testing.TestPostgres;
import io.parley.server.testing.WsClient;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node killed with SIGKILL (#18): the packaged server and an in-process node share one
 * PostgreSQL schema, both with webhooks on. What only the killed node had (a room, a user) is
 * reported vacated and offline once its presence lease has run out and the live node removed it; a
 * room that still has a member on the live node is not.
 */
@Timeout(300)
class PresenceKillNineIT {

  private final List<WsClient> clients = new ArrayList<>();
  private WebhookReceiver receiver;
  private ServerProcess killed;
  private ParleyServer live;
  private String schema;

  @AfterEach
  void cleanUp() throws InterruptedException {
    clients.forEach(WsClient::close);
    if (killed != null) {
      killed.kill();
    }
    if (live != null) {
      live.stop();
    }
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void whatOnlyAKilledNodeHadIsVacatedAndOfflineOnceItsLeaseRunsOut() throws Exception {
    TestPostgres.assumeAvailable();
    schema = TestPostgres.freshSchema();
    receiver = new WebhookReceiver(WebhookTests.SECRET);
    PresenceEvents events = new PresenceEvents(receiver);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    killed = ServerProcess.start(Map.of(
        "PARLEY_PORT", Integer.toString(port),
        "PARLEY_HOST", "127.0.0.1",
        "PARLEY_DB_URL", TestPostgres.URL,
        "PARLEY_DB_USER", TestPostgres.USER,
        "PARLEY_DB_PASSWORD", TestPostgres.PASSWORD,
        "PARLEY_DB_SCHEMA", schema,
        "PARLEY_WEBHOOK_URL", receiver.url().toString(),
        "PARLEY_WEBHOOK_SECRET", WebhookTests.SECRET));
    killed.awaitPort();
    live = ParleyServer.start(ServerConfig.defaults().withPort(0)
        .withDatabase(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, schema).toBuilder()
        .webhooks(new WebhookSettings(receiver.url(), WebhookTests.SECRET, WebhookSettings.DEFAULT_MAX_AGE)).build());

    WsClient kay = member(port, "kay", "safe");
    kay.result("room.join", "{\"room\":\"vault\"}");
    WsClient lee = member(live.port(), "lee", "vault");
    events.awaitUser("kay", ONLINE);
    events.awaitRoom("safe", OCCUPIED);
    events.awaitRoom("vault", OCCUPIED);

    killed.kill(); // SIGKILL: no goodbye, its presence rows stay behind
    events.awaitRoom("safe", OCCUPIED, VACATED);
    events.awaitUser("kay", ONLINE, OFFLINE);
    lee.result("room.leave", "{\"room\":\"vault\"}"); // marker: vault was not vacated by the kill
    events.awaitRoom("vault", OCCUPIED, VACATED);
  }

  private WsClient member(int port, String user, String room) {
    WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
    clients.add(client);
    client.result("session.hello", "{\"name\":\"" + user + "\"}");
    client.result("room.join", "{\"room\":\"" + room + "\"}");
    return client;
  }
}
