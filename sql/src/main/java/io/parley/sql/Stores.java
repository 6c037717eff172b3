package io.parley.sql;

import io.parley.sql.internal.JdbcMessageStore;
import io.parley.sql.internal.PooledDatabase;
import io.parley.sql.internal.SchemaMigration;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens message stores.
 *
 * <p>Why a factory and not a constructor: opening a store is a sequence that must happen in
 * order and fail as a whole (connect the pool, migrate the schema, then serve), and callers
 * should depend on {@link MessageStore} only, not on how it is implemented.
 */
public final class Stores {

  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  private Stores() {}

  /** Same as {@link #open(StoreSettings, Clock)} with the system clock. */
  public static MessageStore open(StoreSettings settings) {
    return open(settings, Clock.systemUTC());
  }

  /**
   * Connects to the database, brings its schema up to date and returns a ready store. Blocks
   * for a few seconds at most when the database does not answer.
   *
   * @param clock source of the messages' timestamps (tests inject a fixed one)
   * @throws StoreException if the database cannot be reached or opened, or migration fails;
   *     the message names the database (never its password) and the cause
   */
  public static MessageStore open(StoreSettings settings, Clock clock) {
    return open(settings, clock, false);
  }

  /**
   * Same as {@link #open(StoreSettings, Clock)}, and every append also writes one {@code
   * message.stored} event per newly stored message into the webhook outbox, in its transaction;
   * the store's {@link MessageStore#webhookOutbox()} hands them out.
   */
  public static MessageStore openWithWebhookOutbox(StoreSettings settings, Clock clock) {
    return open(settings, clock, true);
  }

  private static MessageStore open(StoreSettings settings, Clock clock, boolean webhookOutbox) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    PooledDatabase database = PooledDatabase.open(settings);
    try {
      SchemaMigration.migrate(database, settings.schema());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    LOG.info("Message store: {}", database.description());
    return new JdbcMessageStore(database, clock, webhookOutbox);
  }
}
