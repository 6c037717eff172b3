package io.parley.sql;

import static io.parley.sql.StoreFixture.range;
import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repeated (room, sender, clientId) returns the first message and stores nothing. */
interface IdempotencyContract extends StoreFixture {

  @Test
  default void repeatedClientIdReturnsTheFirstMessage() {
    Appended first = appendOne(msg("lobby", "alice", "hello", "c-1"));
    fill("lobby", 2);
    Appended again = appendOne(msg("lobby", "alice", "hello, edited", "c-1"));
    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message()).isEqualTo(first.message());
    assertThat(store().lastSeq("lobby")).isEqualTo(3);
    assertThat(store().history("lobby", null, null, 10)).hasSize(3);
  }

  @Test
  default void sameClientIdFromAnotherSenderOrRoomIsNotADuplicate() {
    List<Appended> result = store().append(List.of(
        msg("lobby", "alice", "a", "c-1"),
        msg("lobby", "bob", "b", "c-1"),
        msg("other", "alice", "c", "c-1")));
    assertThat(result).noneMatch(Appended::duplicate);
    assertThat(result).extracting(r -> r.message().seq()).containsExactly(1L, 2L, 1L);
  }

  @Test
  default void duplicatesInsideOneBatchReturnTheFirstOfTheBatch() {
    List<Appended> result = store().append(List.of(
        msg("lobby", "alice", "one", "c-1"),
        msg("lobby", "alice", "two", null),
        msg("lobby", "alice", "one again", "c-1"),
        msg("lobby", "bob", "three", "c-1")));
    assertThat(result).extracting(Appended::duplicate).containsExactly(false, false, true, false);
    assertThat(result.get(2).message()).isEqualTo(result.get(0).message());
    assertThat(seqs(store().history("lobby", null, null, 10))).containsExactly(1L, 2L, 3L);
    assertThat(store().history("lobby", null, null, 10)).extracting(StoredMessage::text)
        .containsExactly("one", "two", "three");
  }

  @Test
  default void messagesWithoutClientIdNeverCollide() {
    appendOne(msg("lobby", "alice", "same"));
    Appended second = appendOne(msg("lobby", "alice", "same"));
    assertThat(second.duplicate()).isFalse();
    assertThat(second.message().seq()).isEqualTo(2);
  }

  @Test
  default void manyClientIdsInOneBatchAreAllRecognisedOnResend() {
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < 250; i++) { // more than one lookup chunk
      batch.add(msg("lobby", "user" + (i % 3), "text " + i, "c-" + i));
    }
    List<Appended> first = store().append(batch);
    List<Appended> resent = store().append(batch);
    assertThat(resent).allMatch(Appended::duplicate);
    assertThat(resent).extracting(Appended::message)
        .isEqualTo(first.stream().map(Appended::message).toList());
    assertThat(seqs(store().history("lobby", null, null, 500))).isEqualTo(range(1, 250));
  }
}
