package io.parley.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store contracts against the test PostgreSQL ({@link TestPostgres}), in a random schema
 * that the first store creates and {@link #dropSchema()} removes; emptied before each test.
 */
class PostgresStoreTest extends AbstractStoreTest
    implements AppendContract, IdempotencyContract, HistoryContract, RecoveryContract,
        ConcurrencyContract, DurabilityContract, ReadPositionContract,
        ConversationContract, ChangeContract {

  private static String schema;

  @BeforeAll
  static void chooseSchema() {
    schema = TestPostgres.newSchemaName();
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (TestPostgres.isAvailable()) {
      TestPostgres.dropSchema(schema);
    }
  }

  @Override
  void assumeAvailable() {
    TestPostgres.assumeAvailable();
  }

  @BeforeEach
  void emptyTables() throws SQLException {
    try (Connection c = rawConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE reactions, message_changes, messages, rooms, read_positions, dm_conversations");
    }
  }

  @Override
  StoreSettings settings() {
    return TestPostgres.settings(schema);
  }

  @Override
  public Connection rawConnection() throws SQLException {
    return TestPostgres.connect(schema);
  }
}
