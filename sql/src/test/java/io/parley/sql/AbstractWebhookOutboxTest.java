package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sql.WebhookOutbox.Claim;
import io.parley.sql.WebhookOutbox.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook outbox (#18) of a store opened with it, on one database per subclass. */
abstract class AbstractWebhookOutboxTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123Z");

  private MessageStore store;
  private WebhookOutbox outbox;

  abstract StoreSettings settings();

  void assumeAvailable() {}

  @BeforeEach
  void open() {
    assumeAvailable();
    store = Stores.openWithWebhookOutbox(settings(), Clock.fixed(NOW, ZoneOffset.UTC));
    outbox = store.webhookOutbox().orElseThrow();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static NewMessage msg(String room, String text, String clientId) {
    return new NewMessage(room, "ann", text, clientId);
  }

  @Test
  void anAppendWritesOneEventPerNewMessageInSeqOrderPerRoom() {
    store.append(List.of(msg("b", "b1", "x"), msg("a", "a1", null), msg("b", "b2", null)));
    store.append(List.of(msg("b", "again", "x"), msg("a", "a2", null))); // the first is a duplicate
    assertThat(outbox.stats().depth()).isEqualTo(4);
    assertThat(outbox.stats().oldest()).isEqualTo(NOW);
    try (Claim claim = outbox.claim(100, NOW)) {
      List<Event> events = claim.events();
      assertThat(events).extracting(e -> e.message().room() + e.message().seq() + ":" + e.message().text())
          .containsExactlyInAnyOrder("a1:a1", "a2:a2", "b1:b1", "b2:b2");
      assertThat(events.stream().filter(e -> e.message().room().equals("b")).map(e -> e.message().seq()))
          .containsExactly(1L, 2L);
      assertThat(events.stream().filter(e -> e.message().room().equals("a")).map(e -> e.message().seq()))
          .containsExactly(1L, 2L);
      assertThat(events).allSatisfy(e -> {
        assertThat(e.type()).isEqualTo(WebhookOutbox.MESSAGE_STORED);
        assertThat(e.createdAt()).isEqualTo(NOW);
        assertThat(e.attempts()).isZero();
      });
      assertThat(events).extracting(Event::eventId).doesNotHaveDuplicates();
      claim.delete(events);
    }
    assertThat(outbox.stats()).isEqualTo(new WebhookOutbox.Stats(0, null));
  }

  @Test
  void aChangeWritesOneMessageChangedEventAfterItsMessagesEvent() {
    store.append(List.of(msg("a", "a1", null)));
    store.change(ChangeRequest.edit("a", 1, "ann", "a1!", 10));
    store.change(ChangeRequest.edit("a", 1, "bob", "refused", 10)); // not the author: no event
    store.change(ChangeRequest.react("a", 1, "bob", "👍", true, 10));
    try (Claim claim = outbox.claim(100, NOW)) {
      List<Event> events = claim.events();
      assertThat(events).extracting(Event::type).containsExactly(WebhookOutbox.MESSAGE_STORED,
          WebhookOutbox.MESSAGE_CHANGED, WebhookOutbox.MESSAGE_CHANGED);
      assertThat(events.get(0).message().text()).as("the message as it is when sent").isEqualTo("a1!");
      assertThat(events.get(1).change()).isEqualTo(
          new StoredChange("a", 1, 1, ChangeKind.EDIT, "ann", NOW, "a1!", null, null));
      assertThat(events.get(2).change().emoji()).isEqualTo("👍");
      assertThat(events.get(1).message()).isNull();
      claim.delete(events);
    }
    assertThat(outbox.stats().depth()).isZero();
  }

  @Test
  void aStoreWithoutTheOutboxWritesNone() {
    store.close();
    store = Stores.open(settings(), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(store.webhookOutbox()).isEmpty();
    store.append(List.of(msg("a", "a1", null)));
    store.close();
    open();
    assertThat(store.lastSeq("a")).isEqualTo(1);
    assertThat(outbox.stats().depth()).isZero();
  }

  @Test
  void anUndeliveredEventHoldsBackTheLaterEventsOfItsRoomOnly() {
    store.append(List.of(msg("a", "a1", null), msg("b", "b1", null)));
    store.append(List.of(msg("a", "a2", null), msg("b", "b2", null)));
    Instant retry = NOW.plus(Duration.ofSeconds(10));
    try (Claim claim = outbox.claim(1, NOW)) { // the oldest: a1
      assertThat(claim.events()).extracting(e -> e.message().text()).containsExactly("a1");
      claim.retryAt(claim.events(), retry);
    }
    try (Claim claim = outbox.claim(100, NOW)) {
      assertThat(claim.events()).extracting(e -> e.message().text()).containsExactly("b1", "b2");
    }
    try (Claim claim = outbox.claim(100, retry)) {
      assertThat(claim.events()).extracting(e -> e.message().text()).containsExactly("a1", "b1", "a2", "b2");
      assertThat(claim.events().get(0).attempts()).isEqualTo(1);
    }
  }

  @Test
  void aSecondClaimSkipsTheFirstsRowsAndTheLaterRowsOfTheirRooms() {
    store.append(List.of(msg("a", "a1", null), msg("a", "a2", null)));
    store.append(List.of(msg("b", "b1", null), msg("a", "a3", null)));
    try (Claim first = outbox.claim(1, NOW)) {
      assertThat(first.events()).extracting(e -> e.message().text()).containsExactly("a1");
      try (Claim second = outbox.claim(100, NOW)) {
        assertThat(second.events()).extracting(e -> e.message().text()).containsExactly("b1");
        second.delete(second.events());
      }
      first.delete(first.events());
    }
    try (Claim claim = outbox.claim(100, NOW)) {
      assertThat(claim.events()).extracting(e -> e.message().text()).containsExactly("a2", "a3");
    }
  }
}
