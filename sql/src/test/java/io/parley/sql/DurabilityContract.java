package io.parley.sql;

import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What survives a restart, what a failure leaves behind, and health. */
interface DurabilityContract extends StoreFixture {

  @Test
  default void dataSurvivesCloseAndReopen() {
    List<StoredMessage> before = fill("lobby", 3);
    appendOne(msg("lobby", "alice", "keyed", "c-1"));
    MessageStore reopened = reopen();
    assertThat(reopened.history("lobby", null, null, 10))
        .startsWith(before.toArray(StoredMessage[]::new));
    assertThat(reopened.lastSeq("lobby")).isEqualTo(4);
    Appended resend = reopened.append(List.of(msg("lobby", "alice", "keyed", "c-1"))).get(0);
    assertThat(resend.duplicate()).isTrue();
    Appended next = reopened.append(List.of(msg("lobby", "bob", "after restart"))).get(0);
    assertThat(next.message().seq()).isEqualTo(5);
  }

  @Test
  default void failedBatchStoresNothingAndConsumesNoSeq() throws SQLException {
    fill("a", 1);
    execute("ALTER TABLE messages ADD CONSTRAINT test_no_boom CHECK (text <> 'boom')");
    try {
      assertThatThrownBy(() -> store().append(List.of(
          msg("a", "alice", "fine"), msg("b", "alice", "new room"), msg("a", "alice", "boom"))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("append of 3 message(s) failed on " + store().description());
    } finally {
      execute("ALTER TABLE messages DROP CONSTRAINT test_no_boom");
    }
    assertThat(store().lastSeq("a")).isEqualTo(1);
    assertThat(store().lastSeq("b")).isZero();
    assertThat(store().history("b", null, null, 10)).isEmpty();
    assertThat(appendOne(msg("a", "alice", "next")).message().seq()).isEqualTo(2);
  }

  @Test
  default void rowThatBreaksNumberingFailsAfterOneRetryAndStoresNothing() throws SQLException {
    fill("a", 1);
    try (Connection c = rawConnection(); PreparedStatement p = c.prepareStatement(
        "INSERT INTO messages (room, seq, sender, text, ts) VALUES ('a', 3, 'rogue', 'x', ?)")) {
      p.setObject(1, OffsetDateTime.now());
      p.executeUpdate(); // seq 3 taken behind the counter's back
    }
    assertThatThrownBy(() -> store().append(List.of(msg("b", "u", "b1"), msg("a", "u", "2"),
        msg("a", "u", "3")))).isInstanceOf(StoreException.class).hasMessageContaining("23505");
    assertThat(store().lastSeq("a")).isEqualTo(1);
    assertThat(store().lastSeq("b")).isZero();
    assertThat(seqs(store().history("a", null, null, 10))).containsExactly(1L, 3L);
  }

  @Test
  @Timeout(30)
  default void healthyWhileOpenUnhealthyAfterClose() {
    assertThat(store().isHealthy()).isTrue();
    store().close();
    assertThat(store().isHealthy()).isFalse();
    store().close(); // idempotent
    assertThatThrownBy(() -> store().lastSeq("lobby")).isInstanceOf(StoreException.class)
        .hasMessageContaining(store().description());
    assertThatThrownBy(() -> store().append(List.of(msg("lobby", "alice", "late"))))
        .isInstanceOf(StoreException.class);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = rawConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
