package io.parley.sql.internal;

import io.parley.sql.StoreException;
import io.parley.sql.StoredChange;
import io.parley.sql.StoredMessage;
import io.parley.sql.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link WebhookOutbox} on the store's read pool (a claim holds one connection while its
 * events are POSTed; the write pool is the committer's alone).
 *
 * <p>Why a claim is a transaction: the claimed rows are locked ({@code FOR UPDATE SKIP LOCKED},
 * which both PostgreSQL and H2 2.4 run), so another node's claim skips them, and a node that dies
 * mid-POST loses its connection, which releases them: no lease to expire, no event lost. Skipping
 * locked rows could hand out a later event of a room whose earlier one another node holds, so a
 * claim keeps, per order key, only its run of rows from the key's oldest row on ({@link
 * #inOrder}); the rest it leaves alone (locked until the claim ends, then free again).
 *
 * <p>Threading: stateless apart from the pool; safe for any number of threads. A {@link Claim} is
 * confined to the thread that made it and must be closed by it.
 */
final class JdbcWebhookOutbox implements WebhookOutbox {

  private static final String CLAIM = "SELECT o.id, o.event_id, o.type, o.order_key, o.room, o.seq, o.data,"
      + " o.created_at, o.attempts, o.rev FROM webhook_outbox o WHERE o.next_attempt_at <= ?"
      + " AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.order_key = o.order_key AND p.id < o.id"
      + " AND p.next_attempt_at > ?) ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED";
  private static final String EARLIER = "SELECT order_key, id FROM webhook_outbox"
      + " WHERE order_key = ANY(?) AND id <= ? ORDER BY id";
  /** The messages, each with its recipient when it is a direct message (the sender's other participant). */
  private static final String MESSAGES = "SELECT " + MessageRows.COLUMNS + ", d.with_user"
      + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY)) AS v (room, seq)"
      + " JOIN messages m ON m.room = v.room AND m.seq = v.seq"
      + " LEFT JOIN dm_conversations d ON d.room = m.room AND d.user_name = m.sender";
  private static final int RECIPIENT_COLUMN = MessageRows.REACTIONS_COLUMN + 1;
  private static final String CHANGES = "SELECT " + ChangeRows.COLUMNS
      + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY)) AS v (room, rev)"
      + " JOIN message_changes c ON c.room = v.room AND c.rev = v.rev";
  private static final String DELETE = "DELETE FROM webhook_outbox WHERE id = ANY(?)";
  private static final String RETRY = "UPDATE webhook_outbox SET attempts = attempts + 1,"
      + " next_attempt_at = CAST(? AS TIMESTAMP WITH TIME ZONE) WHERE id = ANY(?)";
  private static final String STATS = "SELECT COUNT(*), MIN(created_at) FROM webhook_outbox";

  private final PooledDatabase database;

  JdbcWebhookOutbox(PooledDatabase database) {
    this.database = database;
  }

  @Override
  public Claim claim(int max, Instant now) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    Connection c = null;
    try {
      c = database.reads().getConnection();
      c.setAutoCommit(false);
      List<Row> locked = lock(c, max, now);
      List<Row> kept = inOrder(c, locked);
      return new JdbcClaim(c, withMessages(c, kept));
    } catch (SQLException | RuntimeException e) {
      if (c != null) {
        closeQuietly(c, e);
      }
      throw e instanceof SQLException sql ? failed("claiming webhook events", sql) : (RuntimeException) e;
    }
  }

  @Override
  public Stats stats() {
    try (Connection c = database.reads().getConnection();
        PreparedStatement s = c.prepareStatement(STATS);
        ResultSet r = s.executeQuery()) {
      r.next();
      OffsetDateTime oldest = r.getObject(2, OffsetDateTime.class);
      return new Stats(r.getLong(1), oldest == null ? null : oldest.toInstant());
    } catch (SQLException e) {
      throw failed("counting webhook events", e);
    }
  }

  /** {@code rev} is set for a message.changed row; {@code room} for it and for a message.stored row. */
  private record Row(long id, String eventId, String type, String orderKey, String room, long seq, String data,
      Instant createdAt, int attempts, Long rev) {}

  private static List<Row> lock(Connection c, int max, Instant now) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(CLAIM)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setObject(1, MessageRows.utc(now));
      s.setObject(2, MessageRows.utc(now));
      s.setInt(3, max);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
              r.getLong(6), r.getString(7), r.getObject(8, OffsetDateTime.class).toInstant(), r.getInt(9),
              r.getObject(10) == null ? null : r.getLong(10)));
        }
      }
    }
    return rows;
  }

  /**
   * Keeps, per order key, the locked rows from the key's oldest waiting row on, up to the first row
   * this claim does not hold (held by another node, or skipped by the claim's limit).
   */
  private static List<Row> inOrder(Connection c, List<Row> locked) throws SQLException {
    if (locked.isEmpty()) {
      return locked;
    }
    Map<Long, Row> held = new HashMap<>();
    Set<String> keys = new LinkedHashSet<>();
    long maxId = 0;
    for (Row row : locked) {
      held.put(row.id(), row);
      keys.add(row.orderKey());
      maxId = Math.max(maxId, row.id());
    }
    Set<Long> kept = new HashSet<>();
    Set<String> broken = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement(EARLIER)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setArray(1, SqlArrays.varchars(c, keys));
      s.setLong(2, maxId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String key = r.getString(1);
          long id = r.getLong(2);
          if (broken.contains(key)) {
            continue;
          }
          if (held.containsKey(id)) {
            kept.add(id);
          } else {
            broken.add(key);
          }
        }
      }
    }
    List<Row> result = new ArrayList<>(kept.size());
    for (Row row : locked) {
      if (kept.contains(row.id())) {
        result.add(row);
      }
    }
    return result;
  }

  /** Turns rows into events, reading the messages and changes that message events name. */
  private static List<Event> withMessages(Connection c, List<Row> rows) throws SQLException {
    List<String> messageRooms = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    List<String> changeRooms = new ArrayList<>();
    List<Long> revs = new ArrayList<>();
    for (Row row : rows) {
      if (row.rev() != null) {
        changeRooms.add(row.room());
        revs.add(row.rev());
      } else if (row.room() != null) {
        messageRooms.add(row.room());
        seqs.add(row.seq());
      }
    }
    Map<String, StoredMessage> messages = new HashMap<>();
    Map<String, String> recipients = new HashMap<>();
    if (!messageRooms.isEmpty()) {
      try (ResultSet r = select(c, MESSAGES, messageRooms, seqs)) {
        while (r.next()) {
          StoredMessage m = MessageRows.read(r);
          messages.put(m.room() + '\n' + m.seq(), m);
          String to = r.getString(RECIPIENT_COLUMN);
          if (to != null) {
            recipients.put(m.room() + '\n' + m.seq(), to);
          }
        }
      }
    }
    Map<String, StoredChange> changes = new HashMap<>();
    if (!changeRooms.isEmpty()) {
      try (ResultSet r = select(c, CHANGES, changeRooms, revs)) {
        while (r.next()) {
          StoredChange change = ChangeRows.read(r);
          changes.put(change.room() + '\n' + change.rev(), change);
        }
      }
    }
    List<Event> events = new ArrayList<>(rows.size());
    for (Row row : rows) {
      StoredChange change = row.rev() == null ? null : changes.get(row.room() + '\n' + row.rev());
      String key = row.room() + '\n' + row.seq();
      StoredMessage m = row.rev() != null || row.room() == null ? null : messages.get(key);
      events.add(new Event(row.id(), row.eventId(), row.type(), row.createdAt(), row.attempts(), m,
          m == null ? null : recipients.get(key), change, row.data()));
    }
    return events;
  }

  /** Runs {@code sql} over (room, number) pairs; closing the result set closes its statement. */
  private static ResultSet select(Connection c, String sql, List<String> rooms, List<Long> numbers)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    try {
      s.closeOnCompletion();
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setArray(1, SqlArrays.varchars(c, rooms));
      s.setArray(2, SqlArrays.bigints(c, numbers.toArray(new Long[0])));
      return s.executeQuery();
    } catch (SQLException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed on " + database.description() + ": " + SqlFailures.describe(e), e);
  }

  private static void closeQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
      c.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static Long[] ids(List<Event> events) {
    Long[] ids = new Long[events.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = events.get(i).id();
    }
    return ids;
  }

  /** One claim: its connection's transaction holds the rows' locks until {@link #close}. */
  private final class JdbcClaim implements Claim {
    private final Connection connection;
    private final List<Event> events;

    JdbcClaim(Connection connection, List<Event> events) {
      this.connection = connection;
      this.events = List.copyOf(events);
    }

    @Override
    public List<Event> events() {
      return events;
    }

    @Override
    public void delete(List<Event> done) {
      if (done.isEmpty()) {
        return;
      }
      try (PreparedStatement s = connection.prepareStatement(DELETE)) {
        s.setArray(1, SqlArrays.bigints(connection, ids(done)));
        s.executeUpdate();
      } catch (SQLException e) {
        throw failed("deleting webhook events", e);
      }
    }

    @Override
    public void retryAt(List<Event> failed, Instant at) {
      if (failed.isEmpty()) {
        return;
      }
      try (PreparedStatement s = connection.prepareStatement(RETRY)) {
        s.setObject(1, MessageRows.utc(at));
        s.setArray(2, SqlArrays.bigints(connection, ids(failed)));
        s.executeUpdate();
      } catch (SQLException e) {
        throw failed("rescheduling webhook events", e);
      }
    }

    @Override
    public void close() {
      try {
        connection.commit();
        connection.close();
      } catch (SQLException e) {
        closeQuietly(connection, e);
        throw failed("ending a webhook claim", e);
      }
    }
  }
}
