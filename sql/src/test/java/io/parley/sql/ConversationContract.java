package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Direct conversations (contract 1.1 {@code dm.send}, {@code dm.list}): participants and the per-user list. */
interface ConversationContract extends StoreFixture {

  String ANN_BOB = "dm.0123456789abcdef0123456789abcdef";
  String ANN_CID = "dm.fedcba9876543210fedcba9876543210";

  @Test
  default void aConversationKnowsItsTwoParticipants() {
    assertThat(store().participants(ANN_BOB)).isEmpty();
    store().openConversation(ANN_BOB, "bob", "ann");
    store().openConversation(ANN_BOB, "ann", "bob"); // a repeat, in either order, changes nothing
    assertThat(store().participants(ANN_BOB)).containsExactly("ann", "bob");
    assertThat(store().participants("lobby")).isEmpty();
    assertThatThrownBy(() -> store().openConversation("lobby", "ann", "bob"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().openConversation(ANN_CID, "ann", "ann"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  default void theListFollowsAppendsMostRecentFirstWithReadPositions() {
    MessageStore store = reopen(ticking());
    store.openConversation(ANN_BOB, "ann", "bob");
    store.openConversation(ANN_CID, "ann", "cid");
    assertThat(store.conversations("ann", 50)).as("no message yet").isEmpty();

    store.append(List.of(msg(ANN_BOB, "ann", "hi bob"), msg(ANN_BOB, "bob", "hi ann")));
    store.append(List.of(msg(ANN_CID, "cid", "hi ann")));
    store.append(List.of(msg("lobby", "ann", "not a conversation")));
    assertThat(store.conversations("ann", 50)).containsExactly(
        new Conversation(ANN_CID, "cid", 1, 0), new Conversation(ANN_BOB, "bob", 2, 0));

    store.markRead(ANN_BOB, "ann", 2);
    store.append(List.of(msg(ANN_BOB, "bob", "still there?")));
    assertThat(store.conversations("ann", 50)).containsExactly(
        new Conversation(ANN_BOB, "bob", 3, 2), new Conversation(ANN_CID, "cid", 1, 0));
    assertThat(store.conversations("ann", 1)).containsExactly(new Conversation(ANN_BOB, "bob", 3, 2));
    assertThat(store.conversations("bob", 50)).containsExactly(new Conversation(ANN_BOB, "ann", 3, 0));
    assertThat(store.conversations("dan", 50)).isEmpty();
  }

  @Test
  default void aDuplicateClientIdLeavesTheListAsItWas() {
    store().openConversation(ANN_BOB, "ann", "bob");
    Appended first = appendOne(msg(ANN_BOB, "ann", "once", "c-1"));
    Appended again = appendOne(msg(ANN_BOB, "ann", "once", "c-1"));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message()).isEqualTo(first.message());
    assertThat(store().conversations("bob", 50)).containsExactly(new Conversation(ANN_BOB, "ann", 1, 0));
  }

  @Test
  default void conversationsSurviveAReopen() {
    store().openConversation(ANN_BOB, "ann", "bob");
    appendOne(msg(ANN_BOB, "bob", "kept"));
    MessageStore reopened = reopen();
    assertThat(reopened.participants(ANN_BOB)).containsExactly("ann", "bob");
    assertThat(reopened.conversations("ann", 50)).containsExactly(new Conversation(ANN_BOB, "bob", 1, 0));
  }

  /** A clock one second further on each time it is read, so that appends are ordered in time. */
  private static Clock ticking() {
    AtomicLong seconds = new AtomicLong();
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneId.of("UTC");
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return NOW.plus(Duration.ofSeconds(seconds.incrementAndGet()));
      }
    };
  }
}
