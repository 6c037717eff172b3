package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import io.parley.server.webhooks.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end (#18): a real server with webhooks on, real WebSocket clients sending, and a
 * real HTTP receiver on loopback ({@link WebhookReceiver}) that checks every signature from the
 * contract's definition. Every wait is bounded; nothing sleeps to synchronise.
 */
abstract class WebhookTests {

  static final String SECRET = "whsec-test-0123456789abcdef";
  /** Generous: retries back off up to a few seconds, and the machine is shared. */
  static final Duration DELIVERY = Duration.ofSeconds(90);

  WebhookReceiver receiver;
  TestServer server;

  abstract TestServer.Store store();

  @BeforeEach
  void start() throws Exception {
    receiver = new WebhookReceiver(SECRET);
    server = TestServer.start(store(), c -> c.toBuilder()
        .webhooks(new WebhookSettings(receiver.url(), SECRET, WebhookSettings.DEFAULT_MAX_AGE)).build());
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
  void everyAcknowledgedSendIsOneSignedMessageStoredEventInSeqOrderPerRoomAndRepeatsAreNone() throws Exception {
    int rooms = 5;
    int each = 100;
    long started = System.nanoTime();
    List<JsonObject> acks = sendConcurrently(rooms, each, "m");
    long acked = System.nanoTime();
    assertThat(acks).hasSize(rooms * each);
    assertThat(awaitAccepted(rooms * each)).as("events within %s", DELIVERY).isTrue();
    System.out.printf("WebhookTests (%s): %d sends acknowledged in %d ms; all their events received %d ms after the"
        + " last acknowledgement, in %d requests%n", store(), acks.size(), TimeUnit.NANOSECONDS.toMillis(acked - started),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked), receiver.requests());

    // the same clientIds again: acknowledged with the first messages, and no event; then one fresh
    // message per room, whose event arrives after any a repeat could have caused
    List<JsonObject> repeats = sendConcurrently(rooms, 10, "m");
    assertThat(repeats).allSatisfy(r -> assertThat(acks).contains(r));
    List<JsonObject> markers = sendConcurrently(rooms, 1, "marker");
    List<JsonObject> all = new ArrayList<>(acks);
    all.addAll(markers);
    assertThat(awaitAccepted(all.size())).isTrue();

    assertThat(receiver.problems()).isEmpty();
    assertExactlyOnceInSeqOrder(all, receiver.stored());
  }

  @Test
  void aReceiverAnswering500ForFiveSecondsStillGetsEveryEventAfterwards() throws Exception {
    receiver.answer(500);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      List<JsonObject> acks = sendConcurrently(2, 25, "down");
      assertThat(receiver.await(() -> receiver.refused() > 0, DELIVERY)).as("a request while failing").isTrue();
      timer.schedule(() -> receiver.answer(200), 5, TimeUnit.SECONDS);
      assertThat(awaitAccepted(acks.size())).as("events within %s after the receiver recovers", DELIVERY).isTrue();
      assertThat(receiver.problems()).isEmpty();
      assertExactlyOnceInSeqOrder(acks, receiver.stored());
      // the sender counts a delivery once the answer is back, a moment after the receiver recorded it
      String metrics = awaitMetrics(m -> counter(m, "parley_webhooks_delivered_total") >= acks.size());
      assertThat(counter(metrics, "parley_webhooks_failures_total")).isGreaterThanOrEqualTo(receiver.refused());
      assertThat(metrics).contains("parley_webhooks_outbox_depth", "parley_webhooks_outbox_oldest_age_seconds");
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void storedChangesAreMessageChangedEventsInRevOrderAfterTheirMessage() throws Exception {
    try (io.parley.server.testing.WsClient ann = server.member("ann", "changes")) {
      ann.result("chat.send", "{\"room\":\"changes\",\"text\":\"v0\"}");
      ann.result("chat.edit", "{\"room\":\"changes\",\"seq\":1,\"text\":\"v1\"}");
      ann.result("chat.edit", "{\"room\":\"changes\",\"seq\":1,\"text\":\"v1\"}"); // no change, no event
      ann.result("chat.react", "{\"room\":\"changes\",\"seq\":1,\"emoji\":\"👍\",\"on\":true}");
      assertThat(awaitAccepted(3)).isTrue();
      ann.result("chat.delete", "{\"room\":\"changes\",\"seq\":1}");
      assertThat(awaitAccepted(4)).isTrue();
    }
    List<WebhookReceiver.Received> events = receiver.messages();
    assertThat(events).extracting(WebhookReceiver.Received::type)
        .containsExactly("message.stored", "message.changed", "message.changed", "message.changed");
    JsonObject edit = events.get(1).data();
    assertThat(edit.get("rev").getAsLong()).isEqualTo(1);
    assertThat(edit.get("kind").getAsString()).isEqualTo("edit");
    assertThat(edit.get("text").getAsString()).isEqualTo("v1");
    assertThat(edit.get("user").getAsString()).isEqualTo("ann");
    assertThat(events.get(2).data().get("emoji").getAsString()).isEqualTo("👍");
    assertThat(events.get(3).data().get("kind").getAsString()).isEqualTo("delete");
    assertThat(events.get(3).data().get("rev").getAsLong()).isEqualTo(3);
    assertThat(receiver.problems()).isEmpty();
  }

  @Test
  void aDirectMessagesEventNamesItsRecipient() throws Exception {
    try (io.parley.server.testing.WsClient ann = server.connect()) {
      ann.result("session.hello", "{\"name\":\"ann\"}");
      ann.result("dm.send", "{\"to\":\"bob\",\"text\":\"psst\"}");
    }
    assertThat(awaitAccepted(1)).isTrue();
    WebhookReceiver.Received stored = receiver.messages().get(0);
    assertThat(stored.type()).isEqualTo("message.stored");
    assertThat(stored.data().get("to").getAsString()).isEqualTo("bob");
    assertThat(stored.data().get("room").getAsString()).startsWith("dm.");
  }

  private boolean awaitAccepted(int n) throws InterruptedException {
    return receiver.await(() -> receiver.messages().size() >= n, DELIVERY);
  }

  /** Reads /metrics until {@code done} holds of it (at most {@link #DELIVERY}); returns that text. */
  private String awaitMetrics(java.util.function.Predicate<String> done) {
    return awaitValue(() -> server.get("/metrics").body(), done);
  }

  /**
   * Reads {@code read} every 50 ms until {@code done} holds of its value, at most {@link #DELIVERY};
   * fails the test if it never does. For values the server changes a moment after the receiver saw
   * the request (its counters), which no event tells a test about.
   */
  static <T> T awaitValue(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      value = read.get();
    }
    assertThat(done.test(value)).as("within %s: %s", DELIVERY, value).isTrue();
    return value;
  }

  static double counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(metrics);
    assertThat(m.find()).as(name + " in /metrics").isTrue();
    return Double.parseDouble(m.group(2));
  }

  /**
   * Each acknowledged message arrived as exactly one {@code message.stored} whose data is the
   * acknowledged Message, ids are unique, and each room's events came in seq order.
   */
  static void assertExactlyOnceInSeqOrder(List<JsonObject> acks, List<Received> events) {
    assertThat(events).extracting(Received::id).doesNotHaveDuplicates();
    assertThat(events).allSatisfy(e -> assertThat(e.type()).isEqualTo("message.stored"));
    Map<String, JsonObject> byKey = new HashMap<>();
    for (Received e : events) {
      byKey.put(key(e.data()), e.data());
    }
    assertThat(events).hasSize(byKey.size()); // one event per message
    Set<String> acked = new HashSet<>();
    for (JsonObject ack : acks) {
      acked.add(key(ack));
      assertThat(byKey.get(key(ack))).as("the event of " + key(ack)).isEqualTo(ack);
    }
    assertThat(byKey.keySet()).isEqualTo(acked);
    Map<String, Long> lastSeq = new HashMap<>();
    for (Received e : events) {
      String room = e.data().get("room").getAsString();
      long seq = e.data().get("seq").getAsLong();
      assertThat(seq).as("seq in " + room + " after " + lastSeq.get(room)).isGreaterThan(lastSeq.getOrDefault(room, 0L));
      lastSeq.put(room, seq);
      assertThat(e.ts()).isEqualTo(e.data().get("ts").getAsString());
    }
  }

  private static String key(JsonObject message) {
    return message.get("room").getAsString() + "#" + message.get("seq").getAsLong();
  }

  /**
   * One client per room, all at once (so the group commit mixes rooms), each sending {@code each}
   * messages with clientIds {@code prefix-0...}; returns the acknowledged Messages.
   */
  List<JsonObject> sendConcurrently(int rooms, int each, String prefix) throws Exception {
    return sendConcurrently(server.wsUri(), rooms, each, prefix);
  }

  /** Like {@link #sendConcurrently(int, int, String)}, to the server at {@code ws}. */
  static List<JsonObject> sendConcurrently(java.net.URI ws, int rooms, int each, String prefix) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(rooms);
    try {
      List<Future<List<JsonObject>>> futures = new ArrayList<>();
      for (int r = 0; r < rooms; r++) {
        String room = "hooks-" + r;
        String user = "u" + r;
        futures.add(pool.submit(() -> {
          List<JsonObject> acks = new ArrayList<>();
          try (WsClient client = WsClient.connect(ws)) {
            client.result("session.hello", "{\"name\":\"" + user + "\"}");
            client.result("room.join", "{\"room\":\"" + room + "\"}");
            for (int i = 0; i < each; i++) {
              acks.add(client.result("chat.send",
                  "{\"room\":\"" + room + "\",\"text\":\"" + prefix + " " + i + "\",\"clientId\":\"" + prefix + "-" + i + "\"}"));
            }
          }
          return acks;
        }));
      }
      List<JsonObject> all = new ArrayList<>();
      for (Future<List<JsonObject>> f : futures) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      return Collections.unmodifiableList(all);
    } finally {
      pool.shutdownNow();
    }
  }
}
