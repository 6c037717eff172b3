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

  @Test
  default void limitBelowOneIsRejected() {
    assertThatThrownBy(() -> store().history("lobby", null, null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}
