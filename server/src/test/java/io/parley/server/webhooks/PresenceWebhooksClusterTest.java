package io.parley.server.webhooks;

import static io.parley.server.webhooks.PresenceEvents.OCCUPIED;
import static io.parley.server.webhooks.PresenceEvents.OFFLINE;
import static io.parley.server.webhooks.PresenceEvents.ONLINE;
import static io.parley.server.webhooks.PresenceEvents.VACATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.ParleyServer;
import io.parley.server.cluster.TestNats;
import io.parley.server.config.ServerConfig;
import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.TestPostgres;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence webhooks across two nodes (#18): two real nodes on one PostgreSQL schema and NATS, one
 * real receiver. Members joining one room on both nodes at once give exactly one {@code
 * room.occupied}, and their leaving exactly one {@code room.vacated}; a user's sessions on both
 * nodes one {@code user.online} and one {@code user.offline}; a node that died (its lease long
 * expired) is removed by a live one, which writes the events of what the dead node held last. Each
 * "exactly one" is shown with a marker: one more transition of the same room or user, whose event
 * arrives after every earlier one of that key.
 */
@Timeout(300)
class PresenceWebhooksClusterTest {

  private static final int ROOMS = 5;
  private static final int PER_NODE = 3;

  private final List<ParleyServer> nodes = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private WebhookReceiver receiver;
  private PresenceEvents events;
  private String schema;

  @BeforeEach
  void start() throws Exception {
    TestPostgres.assumeAvailable();
    TestNats.assumeShared();
    schema = TestPostgres.freshSchema();
    receiver = new WebhookReceiver(WebhookTests.SECRET);
    events = new PresenceEvents(receiver);
    for (String node : List.of("presence-a", "presence-b")) {
      ServerConfig config = ServerConfig.defaults().withPort(0)
          .withDatabase(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, schema)
          .withNats(TestNats.URL, node)
          .toBuilder()
          .webhooks(new WebhookSettings(receiver.url(), WebhookTests.SECRET, WebhookSettings.DEFAULT_MAX_AGE)).build();
      nodes.add(ParleyServer.start(config));
    }
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(WsClient::close);
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    nodes.forEach(ParleyServer::stop);
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void membersJoiningOnBothNodesAtOnceGiveOneOccupiedAndTheirLeavingOneVacated() throws Exception {
    List<Supplier<WsClient>> joins = new ArrayList<>();
    for (int r = 0; r < ROOMS; r++) {
      String room = "both-" + r;
      for (int node = 0; node < nodes.size(); node++) {
        for (int i = 0; i < PER_NODE; i++) {
          int n = node;
          String user = "m" + n + i + "r" + r;
          joins.add(() -> member(n, user, room));
        }
      }
    }
    List<WsClient> members = all(joins);
    for (int r = 0; r < ROOMS; r++) {
      events.awaitRoom("both-" + r, OCCUPIED);
    }
    all(members.stream().<Supplier<WsClient>>map(c -> () -> {
      c.close();
      return c;
    }).toList());
    for (int r = 0; r < ROOMS; r++) {
      events.awaitRoom("both-" + r, OCCUPIED, VACATED);
    }
    // markers: one more member per room, on either node
    for (int r = 0; r < ROOMS; r++) {
      member(r % 2, "marker" + r, "both-" + r);
    }
    for (int r = 0; r < ROOMS; r++) {
      events.awaitRoom("both-" + r, OCCUPIED, VACATED, OCCUPIED);
    }
    assertThat(receiver.problems()).isEmpty();
  }

  @Test
  void aUserWithSessionsOnBothNodesIsOneOnlineAndOneOffline() throws Exception {
    List<Supplier<WsClient>> opens = new ArrayList<>();
    for (int node = 0; node < nodes.size(); node++) {
      for (int i = 0; i < PER_NODE; i++) {
        int n = node;
        opens.add(() -> session(n, "zoe"));
      }
    }
    List<WsClient> sessions = all(opens);
    events.awaitUser("zoe", ONLINE);
    all(sessions.stream().<Supplier<WsClient>>map(c -> () -> {
      c.close();
      return c;
    }).toList());
    events.awaitUser("zoe", ONLINE, OFFLINE);
    session(1, "zoe"); // marker
    events.awaitUser("zoe", ONLINE, OFFLINE, ONLINE);
  }

  @Test
  void aLiveNodeRemovesADeadNodesPresenceWritingTheEventsOfWhatItHeldLast() throws Exception {
    member(0, "ann", "shared-with-ghost");
    events.awaitRoom("shared-with-ghost", OCCUPIED);
    // A node that crashed an hour ago: its lease never renewed, its holdings left behind.
    try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + schema);
      s.execute("INSERT INTO presence_nodes (node, seen_at) VALUES ('ghost', CURRENT_TIMESTAMP - INTERVAL '1' HOUR)");
      for (String key : List.of("room:haunted", "user:casper", "room:shared-with-ghost")) {
        s.execute("INSERT INTO presence_keys (presence_key) VALUES ('" + key + "') ON CONFLICT DO NOTHING");
        s.execute("INSERT INTO presence_holders (presence_key, node) VALUES ('" + key + "', 'ghost')");
      }
    }
    // what only the ghost held went away with it; a room a live node still has members in did not
    events.awaitRoom("haunted", VACATED);
    events.awaitUser("casper", OFFLINE);
    clients.get(0).result("room.leave", "{\"room\":\"shared-with-ghost\"}"); // marker
    events.awaitRoom("shared-with-ghost", OCCUPIED, VACATED);
  }

  private WsClient session(int node, String user) {
    WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + nodes.get(node).port() + "/ws"));
    synchronized (clients) {
      clients.add(client);
    }
    client.result("session.hello", "{\"name\":\"" + user + "\"}");
    return client;
  }

  private WsClient member(int node, String user, String room) {
    WsClient client = session(node, user);
    client.result("room.join", "{\"room\":\"" + room + "\"}");
    return client;
  }

  /** Runs the actions at once on the pool; returns their results, failing on the first failure. */
  private List<WsClient> all(List<Supplier<WsClient>> actions) throws Exception {
    List<CompletableFuture<WsClient>> futures = new ArrayList<>();
    for (Supplier<WsClient> action : actions) {
      futures.add(CompletableFuture.supplyAsync(action, pool));
    }
    List<WsClient> out = new ArrayList<>();
    for (CompletableFuture<WsClient> f : futures) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }
}
