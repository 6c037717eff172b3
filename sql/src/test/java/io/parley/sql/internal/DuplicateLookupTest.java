package io.parley.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sql.Appended;
import io.parley.sql.NewMessage;
import io.parley.sql.StoreSettings;
import io.parley.sql.StoredMessage;
import io.parley.sql.TestPostgres;
import io.parley.sql.internal.DuplicateLookup.Key;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duplicate check reads only the rows of the keys it is asked for: with 5,000 messages of
 * different senders sharing one client id, looking up one sender's key returns that one message
 * (not 5,000), and a repeat of it is answered with it. Runs on embedded H2 and PostgreSQL.
 */
@Timeout(60)
class DuplicateLookupTest {
  private static final int SENDERS = 5_000;

  @TempDir Path dir;

  @Test
  void readsOnlyTheAskedKeysOnH2() throws SQLException {
    check(StoreSettings.embedded(dir.resolve("data")));
  }

  @Test
  void readsOnlyTheAskedKeysOnPostgres() throws SQLException {
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.newSchemaName();
    try {
      check(TestPostgres.settings(schema));
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  /**
   * PostgreSQL keeps a generic plan of a statement that a connection has run five times; one
   * made while {@code messages} was nearly empty reads the whole table on every lookup, and
   * nothing replaces it before an ANALYZE. A connection that looked up keys while the table was
   * small must still probe the index once it has grown (checked by the table's scan counters of
   * this transaction, not by time).
   */
  @Test
  void looksUpThroughTheIndexAfterTheTableGrewOnPostgres() throws SQLException {
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.newSchemaName();
    StoreSettings settings = TestPostgres.settings(schema);
    PooledDatabase database = PooledDatabase.open(settings);
    SchemaMigration.migrate(database, settings.schema());
    try (JdbcMessageStore store = new JdbcMessageStore(database, Clock.systemUTC());
        Connection c = TestPostgres.connect(schema)) {
      store.append(List.of(new NewMessage("lobby", "alice", "first", "c-0")));
      List<Key> keys = List.of(new Key("lobby", "alice", "c-0"), new Key("lobby", "bob", "c-1"));
      for (int i = 0; i < 10; i++) { // past the driver's and the server's thresholds for reuse
        assertThat(DuplicateLookup.find(c, keys)).hasSize(1);
      }
      for (int b = 0; b < 40; b++) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          batch.add(new NewMessage("lobby", "user-" + i, "text " + b, "c-" + b + "-" + i));
        }
        store.append(batch);
      }
      c.setAutoCommit(false); // the counters of an open transaction are not flushed under us
      long[] before = scansOfMessages(c);
      assertThat(DuplicateLookup.find(c, keys)).hasSize(1);
      long[] after = scansOfMessages(c);
      assertThat(after[0] - before[0]).as("full scans of messages").isZero();
      assertThat(after[1] - before[1]).as("index scans of messages").isPositive();
      c.rollback();
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  /** Sequential and index scans of {@code messages} that this backend has not yet reported. */
  private static long[] scansOfMessages(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables"
            + " WHERE schemaname = current_schema() AND relname = 'messages'")) {
      return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
    }
  }

  private static void check(StoreSettings settings) throws SQLException {
    PooledDatabase database = PooledDatabase.open(settings);
    SchemaMigration.migrate(database, settings.schema());
    try (JdbcMessageStore store = new JdbcMessageStore(database, Clock.systemUTC())) {
      List<NewMessage> crowd = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        crowd.add(new NewMessage("lobby", "user-" + i, "text of user " + i, "popular"));
      }
      store.append(crowd);
      try (Connection c = database.writes().getConnection()) {
        Map<Key, StoredMessage> found = DuplicateLookup.find(c, List.of(
            new Key("lobby", "user-17", "popular"), new Key("lobby", "stranger", "popular"),
            new Key("elsewhere", "user-17", "popular")));
        assertThat(found).containsOnlyKeys(new Key("lobby", "user-17", "popular"));
        assertThat(found.values()).extracting(StoredMessage::seq, StoredMessage::text)
            .containsExactly(Tuple.tuple(18L, "text of user 17"));
      }
      List<Appended> again = store.append(List.of(
          new NewMessage("lobby", "user-4999", "resent", "popular"),
          new NewMessage("lobby", "stranger", "new", "popular")));
      assertThat(again.get(0).duplicate()).isTrue();
      assertThat(again.get(0).message().seq()).isEqualTo(SENDERS);
      assertThat(again.get(0).message().text()).isEqualTo("text of user 4999");
      assertThat(again.get(1).duplicate()).isFalse();
      assertThat(again.get(1).message().seq()).isEqualTo(SENDERS + 1);
    }
  }
}
