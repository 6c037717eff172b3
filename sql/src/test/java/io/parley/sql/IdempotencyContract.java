package io.parley.sql;

import static io.parley.sql.StoreFixture.range;
import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  default void byClientIdFindsTheStoredMessageOfThatSenderAndRoomOnly() {
    Appended first = appendOne(msg("lobby", "alice", "hello", "c-1"));
    assertThat(store().byClientId("lobby", "alice", "c-1")).contains(first.message());
    assertThat(store().byClientId("lobby", "bob", "c-1")).isEmpty();
    assertThat(store().byClientId("other", "alice", "c-1")).isEmpty();
    assertThat(store().byClientId("lobby", "alice", "c-2")).isEmpty();
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

  /**
   * One batch as the group committer makes them under load: hundreds of sends over more rooms
   * than one statement used to lock, new rooms and known ones, resends of stored messages and
   * repeats within the batch, with and without client ids. Each message is stored once and
   * every room's seqs stay 1..n without a gap.
   */
  @Test
  default void aBatchOverManyRoomsWithRepeatsStoresEachOnceWithGapFreeSeqs() {
    int rooms = 120;
    List<NewMessage> earlier = new ArrayList<>();
    for (int r = 0; r < rooms; r += 2) { // every other room exists and has one message
      earlier.add(msg("room-" + r, "alice", "earlier", "e-" + r));
    }
    List<Appended> before = store().append(earlier);
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int r = i % rooms;
      String clientId = i % 5 == 4 ? null : "c-" + i;
      batch.add(msg("room-" + r, "user-" + (i % 3), "text " + i, clientId));
      if (i % 7 == 0) {
        batch.add(msg("room-" + r, "user-" + (i % 3), "repeat of " + i, clientId)); // within the batch
      }
      if (i % 11 == 0 && r % 2 == 0) {
        batch.add(msg("room-" + r, "alice", "resent", "e-" + r)); // stored by the earlier append
      }
    }
    List<Appended> result = store().append(batch);

    Map<String, Long> expectedLast = new HashMap<>();
    for (int r = 0; r < rooms; r += 2) {
      expectedLast.put("room-" + r, 1L);
    }
    Map<List<String>, StoredMessage> firsts = new HashMap<>();
    for (Appended a : before) {
      firsts.put(List.of(a.message().room(), a.message().sender(), a.message().clientId()), a.message());
    }
    for (int i = 0; i < batch.size(); i++) {
      NewMessage sent = batch.get(i);
      Appended got = result.get(i);
      List<String> key = sent.clientId() == null ? null : List.of(sent.room(), sent.sender(), sent.clientId());
      StoredMessage first = key == null ? null : firsts.get(key);
      if (first != null) {
        assertThat(got.duplicate()).as("message %d repeats %s", i, key).isTrue();
        assertThat(got.message()).isEqualTo(first);
      } else {
        long seq = expectedLast.merge(sent.room(), 1L, Long::sum);
        assertThat(got.duplicate()).as("message %d", i).isFalse();
        assertThat(got.message().seq()).as("seq of message %d", i).isEqualTo(seq);
        assertThat(got.message().text()).isEqualTo(sent.text());
        if (key != null) {
          firsts.put(key, got.message());
        }
      }
    }
    for (Map.Entry<String, Long> room : expectedLast.entrySet()) {
      assertThat(store().lastSeq(room.getKey())).as(room.getKey()).isEqualTo(room.getValue());
      assertThat(seqs(store().history(room.getKey(), null, null, 1000)))
          .as(room.getKey()).isEqualTo(range(1, room.getValue()));
    }
    assertThat(store().append(batch)).allMatch(a -> a.duplicate() == (a.message().clientId() != null));
  }
}
