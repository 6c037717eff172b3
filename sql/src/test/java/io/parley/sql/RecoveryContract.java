package io.parley.sql;

import static io.parley.sql.StoreFixture.range;
import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Recovery after a reconnect: everything since a seq, bounded by count and bytes. */
interface RecoveryContract extends StoreFixture {

  @Test
  default void sinceGivesEverythingAfterTheSeqWithTheRoomsLastSeq() {
    fill("lobby", 5);
    Recovery recovery = store().since("lobby", 2, 100, 1 << 20);
    assertThat(seqs(recovery.messages())).containsExactly(3L, 4L, 5L);
    assertThat(recovery.lastSeq()).isEqualTo(5);
    assertThat(recovery.truncated()).isFalse();
    assertThat(store().since("lobby", 0, 100, 1 << 20).messages()).hasSize(5);
  }

  @Test
  default void nothingMissedIsAnEmptyCompletePage() {
    fill("lobby", 5);
    assertThat(store().since("lobby", 5, 100, 1000)).isEqualTo(new Recovery(List.of(), 5, false));
    assertThat(store().since("lobby", 9, 100, 1000)).isEqualTo(new Recovery(List.of(), 5, false));
    assertThat(store().since("nowhere", 0, 100, 1000)).isEqualTo(new Recovery(List.of(), 0, false));
    assertThat(store().lastSeq("nowhere")).isZero();
  }

  @Test
  default void maxCountTruncates() {
    fill("lobby", 10);
    Recovery recovery = store().since("lobby", 0, 4, 1 << 20);
    assertThat(seqs(recovery.messages())).isEqualTo(range(1, 4));
    assertThat(recovery.lastSeq()).isEqualTo(10);
    assertThat(recovery.truncated()).isTrue();
    Recovery exact = store().since("lobby", 6, 4, 1 << 20);
    assertThat(seqs(exact.messages())).isEqualTo(range(7, 10));
    assertThat(exact.truncated()).isFalse();
  }

  @Test
  default void maxBytesTruncatesButAlwaysGivesOneMessage() {
    String kilobyte = "k".repeat(1000);
    for (int i = 0; i < 10; i++) {
      appendOne(msg("lobby", "alice", kilobyte));
    }
    Recovery recovery = store().since("lobby", 0, 100, 3500);
    assertThat(seqs(recovery.messages())).isEqualTo(range(1, 3));
    assertThat(recovery.truncated()).isTrue();
    Recovery tiny = store().since("lobby", 4, 100, 10);
    assertThat(seqs(tiny.messages())).containsExactly(5L);
    assertThat(tiny.truncated()).isTrue();
    assertThat(tiny.lastSeq()).isEqualTo(10);
  }

  @Test
  default void multiByteTextCountsByItsUtf8Size() {
    String wide = "你".repeat(1000); // 3,000 bytes in UTF-8
    for (int i = 0; i < 4; i++) {
      appendOne(msg("lobby", "alice", wide));
    }
    assertThat(store().since("lobby", 0, 100, 7000).messages()).hasSize(2);
  }

  @Test
  default void boundsBelowOneAreRejected() {
    assertThatThrownBy(() -> store().since("lobby", 0, 0, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCount");
    assertThatThrownBy(() -> store().since("lobby", 0, 10, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
  }
}
