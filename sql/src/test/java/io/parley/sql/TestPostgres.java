package io.parley.sql;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * How tests reach the test PostgreSQL, in one place.
 *
 * <p>Configured by environment: {@code PARLEY_TEST_DB_URL} (default
 * {@value #DEFAULT_URL}), {@code PARLEY_TEST_DB_USER} (default {@code postgres}),
 * {@code PARLEY_TEST_DB_PASSWORD} (default empty). When the database does not answer, tests
 * that call {@link #assumeAvailable()} are skipped with a message saying so, unless
 * {@code PARLEY_REQUIRE_PG=1}, in which case they fail (for CI, where a skip would hide that
 * PostgreSQL was never tested).
 *
 * <p>Each test class works in a schema of its own ({@link #newSchemaName()}), dropped after.
 */
public final class TestPostgres {

  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String URL = env("PARLEY_TEST_DB_URL", DEFAULT_URL);
  public static final String USER = env("PARLEY_TEST_DB_USER", "postgres");
  public static final String PASSWORD = env("PARLEY_TEST_DB_PASSWORD", "");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static String unreachable; // null: not checked yet; "": reachable

  private TestPostgres() {}

  /**
   * Skips (or, with PARLEY_REQUIRE_PG=1, fails) the calling test if PostgreSQL is down. Call it
   * per test (in a {@code @BeforeEach}), not in {@code @BeforeAll}: Surefire counts a class
   * aborted in {@code @BeforeAll} as zero tests run, which would hide the skip.
   */
  public static void assumeAvailable() {
    if (isAvailable()) {
      return;
    }
    String message = "PostgreSQL at " + URL + " is not reachable (" + problem() + "); set "
        + "PARLEY_TEST_DB_URL/_USER/_PASSWORD to test against it, "
        + "PARLEY_REQUIRE_PG=1 to fail instead of skipping";
    if ("1".equals(System.getenv("PARLEY_REQUIRE_PG"))) {
      fail(message);
    }
    Assumptions.abort(message);
  }

  /** True if the test PostgreSQL answered; asked once per JVM. */
  public static boolean isAvailable() {
    return problem().isEmpty();
  }

  private static synchronized String problem() {
    if (unreachable == null) {
      try (Connection c = connect(null)) {
        unreachable = c.isValid(3) ? "" : "connection not valid";
      } catch (SQLException e) {
        unreachable = String.valueOf(e.getMessage());
      }
      if (!unreachable.isEmpty()) {
        System.err.println("PostgreSQL tests: " + URL + " is not reachable: " + unreachable);
      }
    }
    return unreachable;
  }

  /** A direct connection (no pool) whose default schema is {@code schema}, if not null. */
  public static Connection connect(String schema) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", PASSWORD);
    props.setProperty("connectTimeout", "3");
    props.setProperty("loginTimeout", "3");
    if (schema != null) {
      props.setProperty("currentSchema", schema);
    }
    return DriverManager.getConnection(URL, props);
  }

  /** A fresh schema name; the store under test creates the schema on open. */
  public static String newSchemaName() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return "parley_t_" + HexFormat.of().formatHex(bytes);
  }

  /** Settings of a store in {@code schema} of the test database. */
  public static StoreSettings settings(String schema) {
    return new StoreSettings(URL, USER, PASSWORD, schema, null, 4);
  }

  public static void dropSchema(String schema) throws SQLException {
    try (Connection c = connect(null); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
