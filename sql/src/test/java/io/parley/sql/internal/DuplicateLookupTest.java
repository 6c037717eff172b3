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
import java.sql.SQLException;
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
