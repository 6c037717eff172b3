package io.parley.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.sql.Appended;
import io.parley.sql.NewMessage;
import io.parley.sql.StoreException;
import io.parley.sql.StoreSettings;
import io.parley.sql.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads and writes have pools of their own: with every read connection taken (as a flood of
 * history calls would take them), appends and the health probe still get theirs at once, and a
 * read fails after its bounded wait instead of hanging. Runs on embedded H2 and PostgreSQL.
 */
@Timeout(60)
class PoolIsolationTest {

  @TempDir Path dir;

  @Test
  void readsCannotStarveAppendsOnH2() throws SQLException {
    check(StoreSettings.embedded(dir.resolve("data")));
  }

  @Test
  void readsCannotStarveAppendsOnPostgres() throws SQLException {
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.newSchemaName();
    try {
      check(TestPostgres.settings(schema));
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  @Test
  void theTwoPoolsHaveTheirSizesAndNames() {
    PooledDatabase database = PooledDatabase.open(StoreSettings.embedded(dir.resolve("data")).withPoolSize(10));
    try (database) {
      assertThat(database.writes().getMaximumPoolSize()).isEqualTo(StoreSettings.WRITE_POOL_SIZE);
      assertThat(database.writes().getPoolName()).isEqualTo("parley-store-write");
      assertThat(database.reads().getMaximumPoolSize()).isEqualTo(8);
      assertThat(database.reads().getPoolName()).isEqualTo("parley-store-read");
    }
  }

  private static void check(StoreSettings settings) throws SQLException {
    PooledDatabase database = PooledDatabase.open(settings);
    SchemaMigration.migrate(database, settings.schema());
    try (JdbcMessageStore store = new JdbcMessageStore(database, Clock.systemUTC())) {
      store.append(List.of(new NewMessage("lobby", "alice", "before", null)));
      List<Connection> held = new ArrayList<>();
      try {
        for (int i = 0; i < settings.readPoolSize(); i++) {
          held.add(database.reads().getConnection());
        }
        List<Appended> appended = store.append(List.of(new NewMessage("lobby", "alice", "during", "c-1")));
        assertThat(appended.get(0).message().seq()).isEqualTo(2);
        assertThat(store.isHealthy()).as("health probe with every read connection taken").isTrue();
        assertThatThrownBy(() -> store.history("lobby", null, null, 10))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("history of room 'lobby' failed");
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }
      assertThat(store.history("lobby", null, null, 10)).extracting(m -> m.text())
          .containsExactly("before", "during");
    }
  }
}
