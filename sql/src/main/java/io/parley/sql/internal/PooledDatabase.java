package io.parley.sql.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.parley.sql.StoreException;
import io.parley.sql.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The connection pools of one store, with the facts about them that error messages and logs need.
 *
 * <p>Why two pools: appends (the group committer) and reads (history, recovery, last seq) once
 * shared one pool, and a flood of reads made the committer wait for a connection; after a wait
 * of {@link #CONNECTION_TIMEOUT_MS} its append failed and the node marked storage down although
 * the database was healthy. Now the write pool ({@value #WRITE_POOL_NAME}, {@link
 * StoreSettings#WRITE_POOL_SIZE} connections) serves only the committer, the health probe and
 * the schema migration, and reads have a pool of their own ({@value #READ_POOL_NAME}, the rest
 * of {@link StoreSettings#poolSize()}). No number of reads can delay a commit, and because the
 * write pool has a connection for each of its borrowers (one committer thread, one probe
 * thread), a wait for a write connection that times out means no connection to the database
 * could be kept or opened: the database failed, not the pool. Two pools on one embedded H2
 * file share its database, as any two connections of one process to the same URL do.
 *
 * <p>Why it exists: turning {@link StoreSettings} into a working HikariCP pool has a handful
 * of traps (the embedded directory, H2's settings, a schema that must exist before H2 lets a
 * connection use it, timeouts short enough that an unreachable database fails the start in
 * seconds), and every one of them should produce a {@link StoreException} that says which
 * database could not be opened and why. This class is where all of that happens, once.
 *
 * <p>Threading: immutable after {@link #open}; the pool itself is thread-safe.
 */
public final class PooledDatabase implements AutoCloseable {

  /**
   * How long a caller waits for a pooled connection. Short on purpose: while the database is
   * down every send waits this long before it can be answered "unavailable", and the wire
   * contract promises that answer within two seconds.
   */
  static final long CONNECTION_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(1);

  /** How long a pooled connection's liveness check may take before it counts as dead. */
  static final long VALIDATION_TIMEOUT_MS = 500;

  /**
   * PostgreSQL driver: seconds to open a socket to the server, and to log in. They bound the
   * pool's own thread that opens connections, not a caller (that is {@link
   * #CONNECTION_TIMEOUT_MS}), so they leave room for a slow network.
   */
  static final String PG_CONNECT_TIMEOUT_S = "2";
  static final String PG_LOGIN_TIMEOUT_S = "3";

  /**
   * PostgreSQL driver: seconds a statement may wait for the server's answer before its
   * connection is given up. Bounds a query hung on a silent network (no RST ever comes); well
   * above the slowest legitimate statement (a recovery page of about 1 MiB).
   */
  static final String PG_SOCKET_TIMEOUT_S = "15";

  /**
   * How long a read waits for a connection of the read pool. A flood of reads queues here (never
   * in front of the committer) and the excess fails after this wait with a {@code
   * StoreException}, which the server answers as unavailable.
   */
  static final long READ_CONNECTION_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(2);

  static final String WRITE_POOL_NAME = "parley-store-write";
  static final String READ_POOL_NAME = "parley-store-read";

  /** How long the start keeps trying to get its first connection before it gives up. */
  static final long INITIALIZATION_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(3);

  private final HikariDataSource writes;
  private final HikariDataSource reads;
  private final Dialect dialect;
  private final String description;

  private PooledDatabase(HikariDataSource writes, HikariDataSource reads, Dialect dialect,
      String description) {
    this.writes = writes;
    this.reads = reads;
    this.dialect = dialect;
    this.description = description;
  }

  /** Opens both pools and checks that a connection of each works. */
  public static PooledDatabase open(StoreSettings settings) {
    Dialect dialect = settings.isEmbedded() ? Dialect.H2 : Dialect.of(settings.jdbcUrl());
    String description = describe(settings, dialect);
    String url = jdbcUrl(settings, dialect, description);
    // H2 needs a user; "sa" with an empty password is its convention for embedded use.
    boolean h2 = dialect == Dialect.H2;
    String user = settings.user() == null && h2 ? "sa" : settings.user();
    String password = settings.password() == null && h2 ? "" : settings.password();
    HikariConfig writeConfig = poolConfig(settings, dialect, url, user, password,
        WRITE_POOL_NAME, StoreSettings.WRITE_POOL_SIZE, CONNECTION_TIMEOUT_MS);
    HikariConfig readConfig = poolConfig(settings, dialect, url, user, password,
        READ_POOL_NAME, settings.readPoolSize(), READ_CONNECTION_TIMEOUT_MS);
    // H2 refuses a connection whose schema does not exist yet (PostgreSQL accepts it and
    // Flyway creates the schema); this connection also keeps an in-memory H2 database alive
    // until the pool holds it.
    Connection bootstrap = h2 && settings.schema() != null
        ? createH2Schema(url, user, password, settings.schema(), description) : null;
    try {
      HikariDataSource writes = startPool(writeConfig, description);
      try {
        return new PooledDatabase(writes, startPool(readConfig, description), dialect, description);
      } catch (RuntimeException e) {
        writes.close();
        throw e;
      }
    } finally {
      closeQuietly(bootstrap);
    }
  }

  private static HikariDataSource startPool(HikariConfig config, String description) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to " + description + ": " + rootMessage(e), e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LoggerFactory.getLogger(PooledDatabase.class).debug("Closing a bootstrap connection", e);
      }
    }
  }

  private static String describe(StoreSettings settings, Dialect dialect) {
    String schema = settings.schema() == null ? "" : " (schema " + settings.schema() + ")";
    if (settings.isEmbedded()) {
      return "embedded H2 at " + settings.dataDir().toAbsolutePath().normalize() + schema;
    }
    return dialect.displayName() + " " + JdbcUrls.forDisplay(settings.jdbcUrl())
        + (schema.isEmpty() ? " (default schema)" : schema);
  }

  private static String jdbcUrl(StoreSettings settings, Dialect dialect, String description) {
    if (settings.isEmbedded()) {
      Path dir = settings.dataDir();
      try {
        Files.createDirectories(dir);
      } catch (IOException | RuntimeException e) {
        throw new StoreException("cannot create the data directory of " + description
            + ": " + e, e);
      }
      return JdbcUrls.embeddedH2(dir);
    }
    return dialect == Dialect.H2 ? JdbcUrls.withH2Settings(settings.jdbcUrl()) : settings.jdbcUrl();
  }

  private static Connection createH2Schema(
      String url, String user, String password, String schema, String description) {
    try {
      Connection c = DriverManager.getConnection(url, user, password);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + schema); // validated by StoreSettings
        return c;
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open " + description + ": " + e.getMessage(), e);
    }
  }

  private static HikariConfig poolConfig(StoreSettings settings, Dialect dialect, String url,
      String user, String password, String name, int size, long connectionTimeoutMs) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(connectionTimeoutMs);
    config.setInitializationFailTimeout(INITIALIZATION_TIMEOUT_MS);
    config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
    config.setConnectionInitSql(dialect.connectionInitSql());
    if (settings.poolMetrics() != null) {
      config.setMetricsTrackerFactory(settings.poolMetrics()); // tagged pool=<name>
    }
    if (settings.schema() != null) {
      config.setSchema(settings.schema());
    }
    if (dialect == Dialect.POSTGRESQL) {
      // Driver properties; parameters in the URL take precedence.
      config.addDataSourceProperty("connectTimeout", PG_CONNECT_TIMEOUT_S);
      config.addDataSourceProperty("loginTimeout", PG_LOGIN_TIMEOUT_S);
      config.addDataSourceProperty("socketTimeout", PG_SOCKET_TIMEOUT_S);
      config.addDataSourceProperty("tcpKeepAlive", "true");
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      config.addDataSourceProperty("ApplicationName", "parley");
    }
    return config;
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** The pool of the committer, the health probe and the migration: never lent to reads. */
  public HikariDataSource writes() {
    return writes;
  }

  /** The pool of reads (history, recovery, last seq). */
  public HikariDataSource reads() {
    return reads;
  }

  public Dialect dialect() {
    return dialect;
  }

  public String description() {
    return description;
  }

  public boolean isClosed() {
    return writes.isClosed();
  }

  @Override
  public void close() {
    reads.close();
    writes.close();
  }
}
