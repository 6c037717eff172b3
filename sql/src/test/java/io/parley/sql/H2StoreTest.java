package io.parley.sql;

import io.parley.sql.internal.JdbcUrls;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts against an embedded H2 file database in a fresh directory per test. */
class H2StoreTest extends AbstractStoreTest
    implements AppendContract, IdempotencyContract, HistoryContract, RecoveryContract,
        ConcurrencyContract, DurabilityContract, ReadPositionContract,
        ConversationContract, ChangeContract {

  @TempDir Path dir;

  @Override
  StoreSettings settings() {
    return StoreSettings.embedded(dir.resolve("data"));
  }

  @Override
  public Connection rawConnection() throws SQLException {
    // The same URL as the store's: H2 then shares the database the pool has open.
    return DriverManager.getConnection(JdbcUrls.embeddedH2(dir.resolve("data")), "sa", "");
  }
}
