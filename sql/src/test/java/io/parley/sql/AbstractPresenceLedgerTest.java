package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sql.PresenceLedger.Change;
import io.parley.sql.PresenceLedger.Key;
import io.parley.sql.PresenceLedger.Written;
import io.parley.sql.WebhookOutbox.Claim;
import io.parley.sql.WebhookOutbox.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The presence ledger (#18) of a store opened with the webhook outbox, on one database per subclass. */
abstract class AbstractPresenceLedgerTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");
  private static final Instant LATER = T0.plusSeconds(3600);
  private static final Key LOBBY = Key.room("lobby");
  private static final Key ANN = Key.user("ann \"the\" \\ one");

  private MessageStore store;
  private PresenceLedger ledger;
  private WebhookOutbox outbox;

  abstract StoreSettings settings();

  void assumeAvailable() {}

  @BeforeEach
  void open() {
    assumeAvailable();
    store = Stores.openWithWebhookOutbox(settings(), Clock.fixed(T0, ZoneOffset.UTC));
    ledger = store.presenceLedger().orElseThrow();
    outbox = store.webhookOutbox().orElseThrow();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Change up(Key key) {
    return new Change(key, true, T0);
  }

  private static Change down(Key key) {
    return new Change(key, false, T0);
  }

  /** Every event in the outbox, in order per key, as "type data", and removes them. */
  private List<String> drain() {
    List<String> out = new ArrayList<>();
    try (Claim claim = outbox.claim(10_000, LATER)) {
      for (Event e : claim.events()) {
        out.add(e.type() + " " + e.data());
      }
      claim.delete(claim.events());
    }
    return out;
  }

  @Test
  void onlyTheFirstHolderAnywhereAndTheLastOneWriteAnEvent() {
    assertThat(ledger.apply("a", List.of(up(LOBBY), up(ANN))).written()).containsExactly(
        new Written("room.occupied", LOBBY), new Written("user.online", ANN));
    assertThat(ledger.apply("b", List.of(up(LOBBY), up(ANN))).written()).isEmpty();
    assertThat(ledger.apply("a", List.of(down(LOBBY), down(ANN))).written()).isEmpty();
    assertThat(ledger.apply("b", List.of(down(LOBBY), down(ANN))).written()).containsExactly(
        new Written("room.vacated", LOBBY), new Written("user.offline", ANN));
    List<String> events = drain();
    assertThat(events.stream().filter(e -> e.startsWith("room."))).containsExactly(
        "room.occupied {\"room\":\"lobby\"}", "room.vacated {\"room\":\"lobby\"}");
    assertThat(events.stream().filter(e -> e.startsWith("user."))).containsExactly(
        "user.online {\"user\":\"ann \\\"the\\\" \\\\ one\"}", "user.offline {\"user\":\"ann \\\"the\\\" \\\\ one\"}");
    try (Claim claim = outbox.claim(10, LATER)) {
      assertThat(claim.events()).isEmpty();
    }
  }

  @Test
  void changesOfABatchAreWrittenInTheirOrderAndRepeatsChangeNothing() {
    assertThat(ledger.apply("a", List.of(up(LOBBY), up(LOBBY), down(LOBBY), down(LOBBY), up(LOBBY))).written())
        .extracting(Written::type).containsExactly("room.occupied", "room.vacated", "room.occupied");
    assertThat(drain()).extracting(e -> e.split(" ")[0])
        .containsExactly("room.occupied", "room.vacated", "room.occupied");
  }

  @Test
  void theEventTimeIsTheChangesTime() {
    Instant at = T0.plusMillis(42);
    ledger.apply("a", List.of(new Change(LOBBY, true, at)));
    try (Claim claim = outbox.claim(10, LATER)) {
      assertThat(claim.events()).singleElement().satisfies(e -> assertThat(e.createdAt()).isEqualTo(at));
    }
  }

  @Test
  void reconcileMakesANodeHoldExactlyWhatItHas() {
    Key x = Key.room("x");
    Key y = Key.room("y");
    Key z = Key.room("z");
    ledger.apply("a", List.of(up(x), up(y)));
    ledger.apply("b", List.of(up(y)));
    drain();
    assertThat(ledger.reconcile("a", Set.of(y, z), T0)).containsExactlyInAnyOrder(
        new Written("room.vacated", x), new Written("room.occupied", z));
    assertThat(ledger.reconcile("a", Set.of(y, z), T0)).isEmpty();
  }

  @Test
  void aSilentNodeIsRemovedByAnotherAndFindsItsLeaseLost() {
    Key x = Key.room("x");
    Key shared = Key.room("shared");
    assertThat(ledger.apply("a", List.of(up(x), up(shared))).leaseLost()).isTrue(); // a new node
    assertThat(ledger.apply("b", List.of(up(shared))).leaseLost()).isTrue();
    assertThat(ledger.renew("a")).isTrue();
    drain();
    // a lease of -1 h: every other node counts as silent, whatever the clocks
    assertThat(ledger.removeSilent("b", Duration.ofHours(-1), T0)).containsExactly(new Written("room.vacated", x));
    assertThat(ledger.removeSilent("b", Duration.ofHours(-1), T0)).isEmpty();
    assertThat(ledger.removeSilent("b", Duration.ofHours(1), T0)).isEmpty();
    assertThat(ledger.renew("a")).isFalse();
    PresenceLedger.Applied again = ledger.apply("a", List.of(up(Key.room("y"))));
    assertThat(again.leaseLost()).isTrue();
    assertThat(ledger.reconcile("a", Set.of(x, shared, Key.room("y")), T0)).containsExactly(
        new Written("room.occupied", x));
  }

  @Test
  void aNodeThatLeavesWritesTheEventsOfWhatItHeldLast() {
    Key x = Key.room("x");
    Key shared = Key.room("shared");
    ledger.apply("a", List.of(up(x), up(shared), up(ANN)));
    ledger.apply("b", List.of(up(shared)));
    drain();
    assertThat(ledger.leave("a", T0)).containsExactlyInAnyOrder(
        new Written("room.vacated", x), new Written("user.offline", ANN));
    assertThat(ledger.renew("a")).isFalse();
    assertThat(ledger.leave("a", T0)).isEmpty();
  }

  @Test
  @Timeout(120)
  void nodesTogglingOneRoomAtOnceWriteAlternatingEventsOnePerTransition() throws Exception {
    int rounds = 100;
    List<CompletableFuture<Void>> nodes = new ArrayList<>();
    for (String node : List.of("a", "b", "c")) {
      nodes.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < rounds; i++) {
          ledger.apply(node, List.of(up(LOBBY)));
          ledger.apply(node, List.of(down(LOBBY)));
        }
      }));
    }
    for (CompletableFuture<Void> node : nodes) {
      node.get(100, TimeUnit.SECONDS);
    }
    List<String> types = drain().stream().map(e -> e.split(" ")[0]).toList();
    assertThat(types).isNotEmpty().hasSizeLessThanOrEqualTo(2 * 3 * rounds);
    for (int i = 0; i < types.size(); i++) {
      assertThat(types.get(i)).as("event %d of %s", i, types).isEqualTo(i % 2 == 0 ? "room.occupied" : "room.vacated");
    }
    assertThat(types.get(types.size() - 1)).isEqualTo("room.vacated");
  }
}
