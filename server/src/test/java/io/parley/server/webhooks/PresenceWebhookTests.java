package io.parley.server.webhooks;

import static io.parley.server.webhooks.PresenceEvents.OCCUPIED;
import static io.parley.server.webhooks.PresenceEvents.OFFLINE;
import static io.parley.server.webhooks.PresenceEvents.ONLINE;
import static io.parley.server.webhooks.PresenceEvents.VACATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence webhooks on one node (#18): {@code room.occupied} / {@code room.vacated} when a room's
 * first member joins and its last leaves, {@code user.online} / {@code user.offline} for a user's
 * first and last session, in order per room and per user, a dropped connection counting as leaving.
 * A real server, real WebSocket clients and a real HTTP receiver on loopback; every wait bounded.
 */
abstract class PresenceWebhookTests {

  WebhookReceiver receiver;
  TestServer server;
  PresenceEvents events;

  abstract TestServer.Store store();

  @BeforeEach
  void start() throws Exception {
    receiver = new WebhookReceiver(WebhookTests.SECRET);
    events = new PresenceEvents(receiver);
    server = TestServer.start(store(), c -> c.toBuilder()
        .webhooks(new WebhookSettings(receiver.url(), WebhookTests.SECRET, WebhookSettings.DEFAULT_MAX_AGE)).build());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void firstJoinOccupiesLastLeaveVacatesInOrderAndOtherMembersChangeNothing() throws Exception {
    WsClient ann = server.member("ann", "attic");
    events.awaitRoom("attic", OCCUPIED);
    WsClient bob = server.member("bob", "attic");
    ann.result("room.leave", "{\"room\":\"attic\"}");
    bob.result("room.leave", "{\"room\":\"attic\"}");
    events.awaitRoom("attic", OCCUPIED, VACATED);
    // a quick join, leave, join: written in that order, not reordered nor merged
    ann.result("room.join", "{\"room\":\"attic\"}");
    ann.result("room.leave", "{\"room\":\"attic\"}");
    ann.result("room.join", "{\"room\":\"attic\"}");
    // the last is a marker: the room's events arrive in order, so nothing else came before it
    events.awaitRoom("attic", OCCUPIED, VACATED, OCCUPIED, VACATED, OCCUPIED);
    ann.close();
    bob.close();
    events.awaitRoom("attic", OCCUPIED, VACATED, OCCUPIED, VACATED, OCCUPIED, VACATED);
    assertThat(receiver.problems()).isEmpty();
    assertThat(server.get("/metrics").body()).contains("parley_webhooks_presence_pending");
  }

  @Test
  void twoSessionsOfOneUserAreOneOnlineAndOneOfflineAndGuestNamesAreNotReported() throws Exception {
    WsClient first = server.connect();
    first.result("session.hello", "{\"name\":\"cleo\"}");
    events.awaitUser("cleo", ONLINE);
    WsClient second = server.connect();
    second.result("session.hello", "{\"name\":\"cleo\"}");
    first.close();
    second.close();
    events.awaitUser("cleo", ONLINE, OFFLINE);
    WsClient marker = server.connect();
    marker.result("session.hello", "{\"name\":\"cleo\"}");
    events.awaitUser("cleo", ONLINE, OFFLINE, ONLINE);
    marker.close();
    events.awaitUser("cleo", ONLINE, OFFLINE, ONLINE, OFFLINE);
    // every session above began under a made-up guest name, which means nothing to the backend
    assertThat(events.all()).noneMatch(e -> e.contains(" guest-"));
  }

  @Test
  void aDroppedConnectionLeavesItsRoomsAndTakesItsUserOffline() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
      raw.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session.hello\",\"params\":{\"name\":\"dora\"}}");
      assertThat(raw.readText()).contains("\"id\":1");
      raw.sendText("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"room.join\",\"params\":{\"room\":\"cellar\"}}");
      assertThat(raw.readText()).contains("\"id\":2");
      events.awaitRoom("cellar", OCCUPIED);
      events.awaitUser("dora", ONLINE);
      raw.drop(); // a reset, no close frame
    }
    events.awaitRoom("cellar", OCCUPIED, VACATED);
    events.awaitUser("dora", ONLINE, OFFLINE);
  }

  @Test
  void aCleanStopWritesTheVacatedAndOfflineEventsOfWhatTheNodeHad() throws Exception {
    WsClient eve = server.member("eve", "porch");
    events.awaitRoom("porch", OCCUPIED);
    events.awaitUser("eve", ONLINE);
    // a clean stop writes the events of the sessions it closes before it lets the store go; the
    // stopping node's sender or the restarted one's (same store) POSTs them
    server = server.restart();
    events.awaitRoom("porch", OCCUPIED, VACATED);
    events.awaitUser("eve", ONLINE, OFFLINE);
    eve.close();
  }
}
