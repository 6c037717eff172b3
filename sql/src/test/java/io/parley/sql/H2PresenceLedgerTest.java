package io.parley.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The presence ledger on an embedded H2 database. */
class H2PresenceLedgerTest extends AbstractPresenceLedgerTest {

  @TempDir Path dir;

  @Override
  StoreSettings settings() {
    return StoreSettings.embedded(dir.resolve("data"));
  }
}
