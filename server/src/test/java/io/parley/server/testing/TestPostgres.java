package io.parley.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL for tests: {@code PARLEY_TEST_DB_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), user {@code PARLEY_TEST_DB_USER} (postgres),
 * password {@code PARLEY_TEST_DB_PASSWORD}. Each caller gets a fresh schema, dropped by
 * {@link #dropSchema}. When none answers the test is skipped with a message, unless
 * {@code PARLEY_REQUIRE_PG=1}, which makes it a failure.
 */
public final class TestPostgres {
  public static final String URL = env("PARLEY_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String USER = env("PARLEY_TEST_DB_USER", "postgres");
  public static final String PASSWORD = env("PARLEY_TEST_DB_PASSWORD", "");

  private TestPostgres() {}

  /** Skips (or fails, with PARLEY_REQUIRE_PG=1) when PostgreSQL does not answer. */
  public static void assumeAvailable() {
    String problem = probe();
    if (problem == null) {
      return;
    }
    String message = "PostgreSQL at " + URL + " is not reachable (" + problem + ")";
    if ("1".equals(System.getenv("PARLEY_REQUIRE_PG"))) {
      throw new AssertionError(message + " and PARLEY_REQUIRE_PG=1");
    }
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  private static String probe() {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      return c.isValid(3) ? null : "connection not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** A new, unused schema name; the store creates it when migrating. */
  public static String freshSchema() {
    byte[] b = new byte[5];
    ThreadLocalRandom.current().nextBytes(b);
    return "parley_t_" + HexFormat.of().formatHex(b);
  }

  public static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.err.println("could not drop test schema " + schema + ": " + e.getMessage());
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
