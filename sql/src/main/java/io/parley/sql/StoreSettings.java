package io.parley.sql;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.parley.sql.internal.JdbcUrls;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach the database; checked on construction, immutable after.
 *
 * <p>With {@code jdbcUrl == null} the store is an embedded H2 file database in {@code dataDir},
 * which survives restarts of the process. Otherwise {@code jdbcUrl} names a PostgreSQL database
 * ({@code jdbc:postgresql:...}) or an H2 one ({@code jdbc:h2:...}, PostgreSQL mode is added).
 *
 * @param jdbcUrl the database, or {@code null} for embedded H2
 * @param user database user, or {@code null} for the driver's default
 * @param password database password, or {@code null}; never printed, not even by {@link
 *     #toString()}
 * @param schema schema to create (if missing) and use, or {@code null} for the database's
 *     default; lower-case letters, digits and {@code _}, at most 63 characters, not starting
 *     with a digit (so that it needs no quoting in either database)
 * @param dataDir directory of the embedded database; required when {@code jdbcUrl} is null,
 *     created if missing
 * @param poolSize connections in all, {@value #MIN_POOL_SIZE} to {@value #MAX_POOL_SIZE}: {@value
 *     #WRITE_POOL_SIZE} of them form the write pool, the rest the read pool
 * @param poolMetrics where both pools report their metrics (HikariCP's own interface, e.g. its
 *     {@code MicrometerMetricsTrackerFactory}, so this module needs no metrics library), or
 *     {@code null} for none
 */
public record StoreSettings(
    String jdbcUrl, String user, String password, String schema, Path dataDir, int poolSize,
    MetricsTrackerFactory poolMetrics) {

  /** Pool size of the factory methods. */
  public static final int DEFAULT_POOL_SIZE = 8;

  /** Largest pool accepted; more connections would only queue inside the database. */
  public static final int MAX_POOL_SIZE = 100;

  /**
   * Connections reserved for writes: one for the group committer (the node's only writer, one
   * transaction at a time) and one for the health probe, so neither ever waits for the other and
   * no read can take them.
   */
  public static final int WRITE_POOL_SIZE = 2;

  /** Smallest pool accepted: the write pool and at least one connection for reads. */
  public static final int MIN_POOL_SIZE = WRITE_POOL_SIZE + 1;

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Settings whose pools report no metrics. */
  public StoreSettings(String jdbcUrl, String user, String password, String schema, Path dataDir, int poolSize) {
    this(jdbcUrl, user, password, schema, dataDir, poolSize, null);
  }

  public StoreSettings {
    if (jdbcUrl == null) {
      Objects.requireNonNull(dataDir, "dataDir is required when jdbcUrl is null (embedded H2)");
      if (dataDir.toString().contains(";")) {
        throw new IllegalArgumentException("dataDir must not contain ';', got " + dataDir);
      }
    } else if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(
          "jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, got " + scheme(jdbcUrl));
    }
    if (schema != null && !SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema must match " + SCHEMA.pattern() + ", got '" + schema + "'");
    }
    if (poolSize < MIN_POOL_SIZE || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException("poolSize must be " + MIN_POOL_SIZE + " to "
          + MAX_POOL_SIZE + " (" + WRITE_POOL_SIZE + " for writes, the rest for reads), got "
          + poolSize);
    }
  }

  /** Settings of an embedded H2 database in {@code dataDir}. */
  public static StoreSettings embedded(Path dataDir) {
    return new StoreSettings(null, null, null, null, dataDir, DEFAULT_POOL_SIZE);
  }

  /** Settings of a PostgreSQL database; {@code schema} may be null for {@code public}. */
  public static StoreSettings postgres(
      String jdbcUrl, String user, String password, String schema) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    return new StoreSettings(jdbcUrl, user, password, schema, null, DEFAULT_POOL_SIZE);
  }

  /** Returns a copy with another pool size. */
  public StoreSettings withPoolSize(int size) {
    return new StoreSettings(jdbcUrl, user, password, schema, dataDir, size, poolMetrics);
  }

  /** Connections of the read pool: all but the {@value #WRITE_POOL_SIZE} of the write pool. */
  public int readPoolSize() {
    return poolSize - WRITE_POOL_SIZE;
  }

  /** True if this names an embedded H2 database in {@link #dataDir()}. */
  public boolean isEmbedded() {
    return jdbcUrl == null;
  }

  @Override
  public String toString() {
    return "StoreSettings[jdbcUrl=" + JdbcUrls.forDisplay(jdbcUrl) + ", user=" + user
        + ", password=" + (password == null || password.isEmpty() ? "(none)" : "(hidden)")
        + ", schema=" + schema + ", dataDir=" + dataDir + ", poolSize=" + poolSize + "]";
  }

  private static String scheme(String url) {
    int second = url.indexOf(':', url.indexOf(':') + 1);
    return second < 0 ? "'" + url + "'" : "'" + url.substring(0, second + 1) + "...'";
  }
}
