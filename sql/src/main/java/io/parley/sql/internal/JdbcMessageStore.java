package io.parley.sql.internal;

import io.parley.sql.Appended;
import io.parley.sql.ChangeOutcome;
import io.parley.sql.ChangePage;
import io.parley.sql.ChangeRequest;
import io.parley.sql.Conversation;
import io.parley.sql.HistoryPage;
import io.parley.sql.MessageStore;
import io.parley.sql.NewMessage;
import io.parley.sql.PresenceLedger;
import io.parley.sql.ReadMark;
import io.parley.sql.Recovery;
import io.parley.sql.RoomState;
import io.parley.sql.StoreException;
import io.parley.sql.StoredMessage;
import io.parley.sql.WebhookOutbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageStore} on a JDBC connection pool, with the same SQL for PostgreSQL and H2.
 *
 * <p>Why one class for both: H2 in PostgreSQL mode runs the store's SQL unchanged, so the
 * embedded store used in development and tests is the production code path, not a look-alike.
 *
 * <p>Threading: safe for any number of threads. Every call borrows its own pooled connection and
 * no Java lock is held across database work; concurrent appends to one room are serialised by
 * that room's row lock in the database, which also orders writers in other processes.
 *
 * <p>Failure: a database error becomes a {@link StoreException} naming the store and the
 * operation. An append whose transaction hit a unique violation, a deadlock or a serialization
 * failure is retried once, because another process may have raced with it; the retry sees that
 * process's messages and answers duplicates correctly.
 */
public final class JdbcMessageStore implements MessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcMessageStore.class);

  private final PooledDatabase database;
  private final Clock clock;
  private final HealthCheck health;
  private final StoreReads reads;
  private final ReadPositions readPositions;
  private final DirectConversations conversations;
  private final MessageChanges changes;
  private final ChangeRows changeRows;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Rooms that have a row (the most recently used, bounded): appends to them skip the create. */
  private final KnownRooms knownRooms;

  /** Webhook outbox the appends write to, or null if webhooks are off. */
  private final JdbcWebhookOutbox webhookOutbox;
  /** Presence of the webhook events, or null if webhooks are off. */
  private final JdbcPresenceLedger presenceLedger;

  /** Takes ownership of {@code database}: closing the store closes it. */
  public JdbcMessageStore(PooledDatabase database, Clock clock) {
    this(database, clock, false);
  }

  /** With {@code webhookOutbox}, every append also writes a message.stored outbox row per new message. */
  public JdbcMessageStore(PooledDatabase database, Clock clock, boolean webhookOutbox) {
    this(database, clock, KnownRooms.DEFAULT_CAPACITY, webhookOutbox);
  }

  /** With room for {@code knownRooms} room names in the cache of created rooms (tests make it small). */
  JdbcMessageStore(PooledDatabase database, Clock clock, int knownRooms) {
    this(database, clock, knownRooms, false);
  }

  private JdbcMessageStore(PooledDatabase database, Clock clock, int knownRooms, boolean webhookOutbox) {
    this.webhookOutbox = webhookOutbox ? new JdbcWebhookOutbox(database) : null;
    this.presenceLedger = webhookOutbox ? new JdbcPresenceLedger(database) : null;
    this.knownRooms = new KnownRooms(knownRooms);
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.health = new HealthCheck(database.writes());
    this.reads = new StoreReads(database);
    this.readPositions = new ReadPositions(database);
    this.conversations = new DirectConversations(database);
    this.changes = new MessageChanges(database, webhookOutbox);
    this.changeRows = new ChangeRows(database);
  }

  @Override
  public List<Appended> append(List<NewMessage> batch) {
    List<NewMessage> messages = List.copyOf(batch); // rejects null elements up front
    if (messages.isEmpty()) {
      return List.of();
    }
    Instant ts = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    try {
      return appendOnce(messages, ts);
    } catch (SQLException first) {
      if (!SqlFailures.isRetryable(first)) {
        throw appendFailed(messages, first);
      }
      LOG.info("Append of {} message(s) raced with another writer ({}); retrying once",
          messages.size(), SqlFailures.describe(first));
      try {
        return appendOnce(messages, ts);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw appendFailed(messages, second);
      }
    }
  }

  private List<Appended> appendOnce(List<NewMessage> messages, Instant ts) throws SQLException {
    try (Connection c = database.writes().getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Appended> result = BatchAppend.run(c, messages, ts, knownRooms, webhookOutbox != null);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // the pool discards a connection it cannot roll back
    }
  }

  private StoreException appendFailed(List<NewMessage> messages, SQLException e) {
    return new StoreException("append of " + messages.size() + " message(s) failed on "
        + database.description() + ": " + SqlFailures.describe(e), e);
  }

  @Override
  public HistoryPage history(String room, Long before, Long after, int limit, long maxBytes) {
    return reads.history(room, before, after, limit, maxBytes);
  }

  @Override
  public Recovery since(String room, long since, int maxCount, long maxBytes) {
    return reads.since(room, since, maxCount, maxBytes);
  }

  @Override
  public long lastSeq(String room) {
    return reads.lastSeq(room);
  }

  @Override
  public Optional<StoredMessage> byClientId(String room, String sender, String clientId) {
    return reads.byClientId(room, sender, clientId);
  }

  @Override
  public ChangeOutcome change(ChangeRequest request) {
    Objects.requireNonNull(request, "request");
    return changes.apply(request, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  @Override
  public ChangePage changes(String room, long after, long upTo, int limit, long maxBytes) {
    return changeRows.page(room, after, upTo, limit, maxBytes);
  }

  @Override
  public long lastRev(String room) {
    return changeRows.lastRev(room);
  }

  @Override
  public RoomState roomState(String room, String user) {
    return reads.roomState(room, user);
  }

  @Override
  public ReadMark markRead(String room, String user, long seq) {
    return readPositions.mark(room, user, seq, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  @Override
  public long readPosition(String room, String user) {
    return readPositions.position(room, user);
  }

  @Override
  public Optional<WebhookOutbox> webhookOutbox() {
    return Optional.ofNullable(webhookOutbox);
  }

  @Override
  public Optional<PresenceLedger> presenceLedger() {
    return Optional.ofNullable(presenceLedger);
  }

  @Override
  public void openConversation(String room, String first, String second) {
    if (!room.startsWith(DIRECT_ROOM_PREFIX) || first.equals(second)) {
      throw new IllegalArgumentException("a conversation is a room named " + DIRECT_ROOM_PREFIX
          + "... between two different users, got " + room + " of " + first + " and " + second);
    }
    conversations.open(room, first, second);
  }

  @Override
  public List<String> participants(String room) {
    return conversations.participants(room);
  }

  @Override
  public List<Conversation> conversations(String user, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return conversations.list(user, limit);
  }

  @Override
  public boolean isHealthy() {
    return !closed.get() && health.probe();
  }

  @Override
  public String description() {
    return database.description();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      health.close();
      database.close();
      LOG.info("Message store closed: {}", database.description());
    }
  }

  @Override
  public String toString() {
    return "JdbcMessageStore[" + database.description() + "]";
  }
}
