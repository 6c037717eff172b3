package io.parley.sql.internal;

/**
 * The two databases the store runs on, and the little that differs between them. The SQL of
 * the store itself is the same for both: H2 runs in PostgreSQL mode.
 */
public enum Dialect {
  /**
   * PostgreSQL. The lock timeout turns a writer stuck behind a lost transaction's room lock
   * into a failed append the caller can retry, instead of a request that hangs forever.
   */
  POSTGRESQL("PostgreSQL", "SET lock_timeout = '10s'"),

  /** H2; its default lock timeout of one second is too short for a burst on one room. */
  H2("H2", "SET LOCK_TIMEOUT 10000");

  private final String displayName;
  private final String connectionInitSql;

  Dialect(String displayName, String connectionInitSql) {
    this.displayName = displayName;
    this.connectionInitSql = connectionInitSql;
  }

  /** Returns the dialect of a JDBC URL that {@code StoreSettings} accepted. */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new IllegalArgumentException("not a PostgreSQL or H2 JDBC URL");
  }

  String displayName() {
    return displayName;
  }

  String connectionInitSql() {
    return connectionInitSql;
  }
}
