package io.parley.sql;

import java.sql.SQLException;

/** The presence ledger on the test PostgreSQL, in a schema of its own per test. */
class PostgresPresenceLedgerTest extends AbstractPresenceLedgerTest {

  private final String schema = TestPostgres.newSchemaName(); // a new test instance per test

  @Override
  void assumeAvailable() {
    TestPostgres.assumeAvailable();
  }

  @Override
  StoreSettings settings() {
    return TestPostgres.settings(schema);
  }

  @org.junit.jupiter.api.AfterEach
  void dropSchema() throws SQLException {
    if (TestPostgres.isAvailable()) {
      TestPostgres.dropSchema(schema);
    }
  }
}
