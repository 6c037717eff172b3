package io.parley.sql.internal;

import io.parley.sql.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema up to date with the Flyway migrations in {@code db/migration}.
 *
 * <p>Why at startup: the store's SQL assumes the newest schema, so the server must not take a
 * single request before the migrations ran. Flyway's own lock makes it safe for several server
 * processes to start at once against one database.
 */
public final class SchemaMigration {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

  static final String LOCATION = "classpath:db/migration";

  private SchemaMigration() {}

  /**
   * Migrates {@code schema} (created if missing), or the connection's default schema if null.
   *
   * @throws StoreException if a migration fails or the schema was changed by a newer version
   */
  public static void migrate(PooledDatabase database, String schema) {
    FluentConfiguration config = Flyway.configure(SchemaMigration.class.getClassLoader())
        .dataSource(database.writes())
        .locations(LOCATION)
        .failOnMissingLocations(true);
    if (schema != null) {
      config = config.schemas(schema);
    }
    try {
      MigrateResult result = config.load().migrate();
      LOG.info("Schema of {} is at version {} ({} migration(s) applied now)",
          database.description(), version(result), result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new StoreException(
          "schema migration failed on " + database.description() + ": " + e.getMessage(), e);
    }
  }

  private static String version(MigrateResult result) {
    return result.targetSchemaVersion != null ? result.targetSchemaVersion
        : result.initialSchemaVersion;
  }
}
