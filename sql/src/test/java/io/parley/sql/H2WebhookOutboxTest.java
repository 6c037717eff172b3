package io.parley.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The webhook outbox on an embedded H2 database. */
class H2WebhookOutboxTest extends AbstractWebhookOutboxTest {

  @TempDir Path dir;

  @Override
  StoreSettings settings() {
    return StoreSettings.embedded(dir.resolve("data"));
  }
}
