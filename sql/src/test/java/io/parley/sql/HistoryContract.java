package io.parley.sql;

import static io.parley.sql.StoreFixture.range;
import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** History pages: always ascending, selected by before / after / both / neither and limit. */
interface HistoryContract extends StoreFixture {

  @Test
  default void neitherGivesTheNewestPage() {
    fill("lobby", 10);
    assertThat(seqs(store().history("lobby", null, null, 3))).containsExactly(8L, 9L, 10L);
    assertThat(seqs(store().history("lobby", null, null, 50))).isEqualTo(range(1, 10));
  }

  @Test
  default void beforeGivesTheNewestPageBelowIt() {
    fill("lobby", 10);
    assertThat(seqs(store().history("lobby", 5L, null, 3))).containsExactly(2L, 3L, 4L);
    assertThat(seqs(store().history("lobby", 3L, null, 10))).containsExactly(1L, 2L);
    assertThat(store().history("lobby", 1L, null, 10)).isEmpty();
  }

  @Test
  default void afterGivesTheOldestPageAboveIt() {
    fill("lobby", 10);
    assertThat(seqs(store().history("lobby", null, 5L, 3))).containsExactly(6L, 7L, 8L);
    assertThat(seqs(store().history("lobby", null, 0L, 2))).containsExactly(1L, 2L);
    assertThat(seqs(store().history("lobby", null, 8L, 10))).containsExactly(9L, 10L);
    assertThat(store().history("lobby", null, 10L, 10)).isEmpty();
  }

  @Test
  default void bothGiveTheOldestPageStrictlyBetween() {
    fill("lobby", 10);
    assertThat(seqs(store().history("lobby", 9L, 2L, 3))).containsExactly(3L, 4L, 5L);
    assertThat(seqs(store().history("lobby", 6L, 2L, 50))).containsExactly(3L, 4L, 5L);
    assertThat(store().history("lobby", 4L, 3L, 50)).isEmpty();
    assertThat(store().history("lobby", 3L, 7L, 50)).isEmpty();
  }

  @Test
  default void unknownRoomHasNoHistoryAndRoomsDoNotMix() {
    fill("lobby", 3);
    fill("other", 2);
    assertThat(store().history("nowhere", null, null, 10)).isEmpty();
    assertThat(store().history("other", null, null, 10))
        .extracting(StoredMessage::room).containsOnly("other").hasSize(2);
  }

  /** A 1,000-character text counts about 1,100 bytes; a budget of 3,500 holds three of them. */
  long THREE_BIG = 3_500;

  private void fillBig(int count) {
    for (int i = 0; i < count; i++) {
      appendOne(msg("lobby", "alice", "x".repeat(1_000)));
    }
  }

  @Test
  default void byteBudgetKeepsTheNewestOfANewestFirstPage() {
    fillBig(10);
    HistoryPage newest = store().history("lobby", null, null, 50, THREE_BIG);
    assertThat(seqs(newest.messages())).containsExactly(8L, 9L, 10L);
    assertThat(newest.truncated()).isTrue();
    HistoryPage before = store().history("lobby", 8L, null, 50, THREE_BIG);
    assertThat(seqs(before.messages())).containsExactly(5L, 6L, 7L);
    assertThat(before.truncated()).isTrue();
  }

  @Test
  default void byteBudgetKeepsTheOldestOfAnAfterPage() {
    fillBig(10);
    HistoryPage after = store().history("lobby", null, 2L, 50, THREE_BIG);
    assertThat(seqs(after.messages())).containsExactly(3L, 4L, 5L);
    assertThat(after.truncated()).isTrue();
    HistoryPage between = store().history("lobby", 7L, 2L, 50, THREE_BIG);
    assertThat(seqs(between.messages())).containsExactly(3L, 4L, 5L);
    assertThat(between.truncated()).isTrue();
  }

  @Test
  default void pageWithinTheBudgetOrCutByLimitIsNotTruncated() {
    fillBig(10);
    HistoryPage byLimit = store().history("lobby", null, null, 3, THREE_BIG);
    assertThat(seqs(byLimit.messages())).containsExactly(8L, 9L, 10L);
    assertThat(byLimit.truncated()).isFalse();
    HistoryPage end = store().history("lobby", null, 8L, 50, THREE_BIG);
    assertThat(seqs(end.messages())).containsExactly(9L, 10L);
    assertThat(end.truncated()).isFalse();
  }

  @Test
  default void byteBudgetAlwaysLetsOneMessageThrough() {
    fillBig(3);
    HistoryPage tiny = store().history("lobby", null, null, 50, 1);
    assertThat(seqs(tiny.messages())).containsExactly(3L);
    assertThat(tiny.truncated()).isTrue();
    HistoryPage last = store().history("lobby", 2L, null, 50, 1);
    assertThat(seqs(last.messages())).containsExactly(1L);
    assertThat(last.truncated()).isFalse();
    assertThatThrownBy(() -> store().history("lobby", null, null, 50, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
  }

  @Test
  default void limitBelowOneIsRejected() {
    assertThatThrownBy(() -> store().history("lobby", null, null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}
