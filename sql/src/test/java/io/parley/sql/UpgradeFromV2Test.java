package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sql.internal.JdbcUrls;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the 1.0 release (schema version 2, with messages in it) is upgraded in place
 * when a newer store opens it: its messages stay, and what the new version adds works. Runs on H2
 * and on PostgreSQL.
 */
class UpgradeFromV2Test {
  /** The last schema version of the 1.0 release. */
  private static final String RELEASE_1_0 = "2";

  @TempDir Path dir;

  /** Builds the 1.0 schema with Flyway stopped at its version, and stores a message as 1.0 did. */
  private static void createRelease10(Flyway flyway, Connection c) throws SQLException {
    assertThat(flyway.migrate().targetSchemaVersion).isEqualTo(RELEASE_1_0);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO rooms (name, last_seq) VALUES ('lobby', 2)");
      s.executeUpdate("INSERT INTO messages (room, seq, sender, text, client_id, ts) VALUES "
          + "('lobby', 1, 'ann', 'from 1.0', 'c-1', TIMESTAMP WITH TIME ZONE '2026-11-22 10:15:30.123+00'), "
          + "('lobby', 2, 'bob', 'also 1.0', NULL, TIMESTAMP WITH TIME ZONE '2026-11-22 10:15:31.000+00')");
    }
  }

  private static void upgradesInPlace(StoreSettings settings) {
    try (MessageStore store = Stores.open(settings)) {
      List<StoredMessage> kept = store.history("lobby", null, null, 10);
      assertThat(kept).extracting(StoredMessage::text).containsExactly("from 1.0", "also 1.0");
      assertThat(store.lastSeq("lobby")).isEqualTo(2);
      assertThat(store.markRead("lobby", "ann", 2)).isEqualTo(new ReadMark(2, true, 2));
      assertThat(store.readPosition("lobby", "ann")).isEqualTo(2);
      Appended next = store.append(List.of(new NewMessage("lobby", "ann", "from now on", "c-2"))).get(0);
      assertThat(next.message().seq()).isEqualTo(3);
      assertThat(store.append(List.of(new NewMessage("lobby", "ann", "again", "c-1"))).get(0).duplicate())
          .as("a 1.0 message's client id still makes a repeat a duplicate").isTrue();
      assertThat(store.lastRev("lobby")).as("a 1.0 room has had no change").isZero();
      ChangeOutcome edit = store.change(ChangeRequest.edit("lobby", 1, "ann", "edited after the upgrade", 10));
      assertThat(edit.rev()).as("rev starts at 1").isEqualTo(1);
      assertThat(store.change(ChangeRequest.react("lobby", 2, "ann", "👍", true, 64)).rev()).isEqualTo(2);
      List<StoredMessage> now = store.history("lobby", null, null, 10);
      assertThat(now).extracting(StoredMessage::seq).containsExactly(1L, 2L, 3L);
      assertThat(now.get(0).text()).isEqualTo("edited after the upgrade");
      assertThat(now.get(1).reactions()).containsOnlyKeys("👍");
    }
  }

  @Test
  void anH2DatabaseOfRelease10IsUpgradedInPlace() throws Exception {
    Path data = dir.resolve("data");
    String url = JdbcUrls.embeddedH2(data);
    Flyway flyway = Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration")
        .target(RELEASE_1_0).load();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      createRelease10(flyway, c);
    }
    upgradesInPlace(StoreSettings.embedded(data));
  }

  @Test
  void aPostgresSchemaOfRelease10IsUpgradedInPlace() throws Exception {
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.newSchemaName();
    try {
      Flyway flyway = Flyway.configure().dataSource(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD)
          .schemas(schema).locations("classpath:db/migration").target(RELEASE_1_0).load();
      try (Connection c = TestPostgres.connect(schema)) {
        createRelease10(flyway, c);
      }
      upgradesInPlace(TestPostgres.settings(schema));
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }
}
