package io.parley.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.sql.Appended;
import io.parley.sql.NewMessage;
import io.parley.sql.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cache of created rooms is bounded (least recently used first out), and forgetting is harmless. */
@Timeout(60)
class KnownRoomsTest {

  @TempDir Path dir;

  @Test
  void keepsTheMostRecentlyUsedUpToItsCapacity() {
    KnownRooms rooms = new KnownRooms(2);
    rooms.addAll(List.of("a", "b"));
    assertThat(rooms.contains("a")).isTrue(); // a is now the most recently used
    rooms.addAll(List.of("c"));
    assertThat(rooms.size()).isEqualTo(2);
    assertThat(rooms.contains("b")).isFalse();
    assertThat(rooms.contains("a")).isTrue();
    assertThat(rooms.contains("c")).isTrue();
    assertThatThrownBy(() -> new KnownRooms(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be at least 1, got 0");
  }

  @Test
  void appendsToForgottenRoomsCreateNothingTwiceAndKeepNumbering() {
    StoreSettings settings = StoreSettings.embedded(dir.resolve("data"));
    PooledDatabase database = PooledDatabase.open(settings);
    SchemaMigration.migrate(database, null);
    try (JdbcMessageStore store = new JdbcMessageStore(database, Clock.systemUTC(), 2)) {
      List<Long> seqs = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String room : List.of("r1", "r2", "r3", "r4")) {
          Appended a = store.append(List.of(new NewMessage(room, "u", "t", null))).get(0);
          seqs.add(a.message().seq());
        }
      }
      assertThat(seqs).containsExactly(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L, 3L, 3L, 3L, 3L);
    }
  }
}
