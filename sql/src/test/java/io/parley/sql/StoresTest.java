package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening stores: what is logged as the description, and how opening fails. */
class StoresTest {

  @TempDir Path dir;

  @Test
  @Timeout(30)
  void refusedPostgresFailsFastWithAClearMessageAndNoPassword() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // closed again below, so connecting is refused
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/test";
    assertThatThrownBy(() -> Stores.open(
        StoreSettings.postgres(url + "?password=secret1", "postgres", "secret2", "parley")))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot connect to PostgreSQL " + url + " (schema parley): ")
        .hasMessageNotContaining("secret");
  }

  @Test
  @Timeout(30)
  void silentPostgresFailsWithinSeconds() throws IOException {
    // Accepts connections (the kernel completes the handshake) but never answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/test";
      assertThatThrownBy(() -> Stores.open(StoreSettings.postgres(url, "postgres", "", null)))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("cannot connect to PostgreSQL " + url + " (default schema)");
    }
  }

  @Test
  void dataDirThatCannotBeCreatedFailsClearly() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> Stores.open(StoreSettings.embedded(file.resolve("data"))))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot create the data directory of embedded H2 at "
            + file.resolve("data").toAbsolutePath());
  }

  @Test
  void embeddedStoreDescribesItselfAndCreatesItsDirectory() {
    Path data = dir.resolve("nested/parley-data");
    try (MessageStore store = Stores.open(StoreSettings.embedded(data))) {
      assertThat(store.description()).isEqualTo("embedded H2 at " + data.toAbsolutePath());
      assertThat(store.isHealthy()).isTrue();
    }
    assertThat(data.resolve("parley.mv.db")).exists();
  }

  @Test
  void h2UrlWithSchemaGetsPostgresModeAndItsSchema() {
    StoreSettings settings = new StoreSettings(
        "jdbc:h2:mem:stores_test;USER=sa", null, null, "parley_app", null, 3);
    try (MessageStore store = Stores.open(settings)) {
      assertThat(store.description()).isEqualTo("H2 jdbc:h2:mem:stores_test (schema parley_app)");
      store.append(List.of(new NewMessage("lobby", "alice", "hi", "c-1")));
      assertThat(store.since("lobby", 0, 10, 1000).messages()).hasSize(1);
    }
  }

  @Test
  void postgresDescriptionNamesUrlAndSchema() {
    TestPostgres.assumeAvailable();
    String schema = TestPostgres.newSchemaName();
    try (MessageStore store = Stores.open(TestPostgres.settings(schema))) {
      String url = TestPostgres.URL.replaceFirst("\\?.*", "");
      assertThat(store.description()).isEqualTo("PostgreSQL " + url + " (schema " + schema + ")");
      assertThat(store.isHealthy()).isTrue();
    } finally {
      dropQuietly(schema);
    }
  }

  private static void dropQuietly(String schema) {
    try {
      TestPostgres.dropSchema(schema);
    } catch (SQLException e) {
      throw new AssertionError("could not drop test schema " + schema, e);
    }
  }
}
