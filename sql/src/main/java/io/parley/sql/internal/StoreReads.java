package io.parley.sql.internal;

import io.parley.sql.HistoryPage;
import io.parley.sql.Recovery;
import io.parley.sql.RoomState;
import io.parley.sql.StoreException;
import io.parley.sql.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The read side of the store: history pages, recovery and a room's last seq.
 *
 * <p>History and recovery pages are bounded twice: by a row count and by an estimate of their
 * JSON size, so that a room of large messages cannot make one reply (or the heap holding it)
 * grow with the page size times the text limit.
 *
 * <p>Why these queries look as they do: every read is a range of the primary key (room, seq),
 * scanned forwards for "oldest after" and backwards for "newest before", with a LIMIT, so its
 * cost depends on the page size and not on the room's size. Because seqs are gap-free, recovery
 * knows whether it stopped early by comparing the last seq it returned with the room's.
 *
 * <p>Threading: stateless apart from the pool; safe for any number of threads.
 */
final class StoreReads {

  private static final String SELECT_RANGE = "SELECT " + MessageRows.COLUMNS
      + " FROM messages m WHERE m.room = ? AND m.seq > ? AND m.seq < ? ORDER BY m.seq ";
  private static final String OLDEST_FIRST = SELECT_RANGE + "ASC LIMIT ?";
  private static final String NEWEST_FIRST = SELECT_RANGE + "DESC LIMIT ?";
  private static final String LAST_SEQ = "SELECT last_seq FROM rooms WHERE name = ?";
  private static final String ROOM_STATE = "SELECT r.last_seq, r.last_rev, p.seq FROM rooms r"
      + " LEFT JOIN read_positions p ON p.room = r.name AND p.user_name = ? WHERE r.name = ?";

  /**
   * Seconds one read statement may run before the database cancels it. A history page or a
   * recovery page is a range scan of the primary key and takes milliseconds; this bounds one
   * stuck behind a lock or an overloaded database, so the read fails ({@code StoreException})
   * instead of holding a read connection for the driver's socket timeout.
   */
  static final int QUERY_TIMEOUT_S = 5;

  /** Rows fetched per round trip, so a byte budget can stop a read early. */
  private static final int FETCH_SIZE = 100;

  private interface Read<T> {
    T run(Connection c) throws SQLException;
  }

  private final PooledDatabase database;

  StoreReads(PooledDatabase database) {
    this.database = database;
  }

  HistoryPage history(String room, Long before, Long after, int limit, long maxBytes) {
    Objects.requireNonNull(room, "room");
    requirePositive("limit", limit);
    requirePositive("maxBytes", maxBytes);
    long lower = after == null ? Long.MIN_VALUE : after;
    long upper = before == null ? Long.MAX_VALUE : before;
    boolean newest = after == null;
    return read("history of room '" + room + "'", c -> {
      Budgeted page = withinBudget(c, newest ? NEWEST_FIRST : OLDEST_FIRST, room, lower, upper,
          limit, maxBytes);
      List<StoredMessage> messages = page.messages();
      if (newest) {
        Collections.reverse(messages); // the budget dropped the oldest; ascending again
      }
      return new HistoryPage(messages, page.cut());
    });
  }

  Recovery since(String room, long since, int maxCount, long maxBytes) {
    Objects.requireNonNull(room, "room");
    requirePositive("maxCount", maxCount);
    requirePositive("maxBytes", maxBytes);
    return read("recovery of room '" + room + "' since " + since, c -> {
      // lastSeq first: everything up to it is committed, so the page below has no hole.
      long lastSeq = lastSeq(c, room);
      if (lastSeq <= since) {
        return new Recovery(List.of(), lastSeq, false);
      }
      List<StoredMessage> page =
          withinBudget(c, OLDEST_FIRST, room, since, lastSeq + 1, maxCount, maxBytes).messages();
      long reached = page.isEmpty() ? since : page.get(page.size() - 1).seq();
      return new Recovery(page, lastSeq, reached < lastSeq);
    });
  }

  RoomState roomState(String room, String user) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(user, "user");
    return read("state of room '" + room + "'", c -> {
      try (PreparedStatement select = c.prepareStatement(ROOM_STATE)) {
        select.setQueryTimeout(QUERY_TIMEOUT_S);
        select.setString(1, user);
        select.setString(2, room);
        try (ResultSet rs = select.executeQuery()) {
          // No room row: no message, no change; and a read position needs a message to point at.
          return rs.next() ? new RoomState(rs.getLong(1), rs.getLong(2), rs.getLong(3)) : new RoomState(0, 0, 0);
        }
      }
    });
  }

  long lastSeq(String room) {
    Objects.requireNonNull(room, "room");
    return read("last seq of room '" + room + "'", c -> lastSeq(c, room));
  }

  java.util.Optional<StoredMessage> byClientId(String room, String sender, String clientId) {
    DuplicateLookup.Key key = new DuplicateLookup.Key(Objects.requireNonNull(room, "room"),
        Objects.requireNonNull(sender, "sender"), Objects.requireNonNull(clientId, "clientId"));
    return java.util.Optional.ofNullable(read("message of client id in room '" + room + "'",
        c -> DuplicateLookup.find(c, List.of(key)).get(key)));
  }

  private static long lastSeq(Connection c, String room) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(LAST_SEQ)) {
      select.setQueryTimeout(QUERY_TIMEOUT_S);
      select.setString(1, room);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Rows read in the order of {@code sql} until the budget was spent; {@code cut} if it was. */
  private record Budgeted(List<StoredMessage> messages, boolean cut) {}

  /**
   * Streams (in a transaction, so PostgreSQL uses a cursor) until the byte budget is spent, but
   * takes at least one row; rows come in the order of {@code sql}, so the budget drops the far
   * end of the page.
   */
  private static Budgeted withinBudget(Connection c, String sql, String room, long lower,
      long upper, int maxCount, long maxBytes) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement select = c.prepareStatement(sql)) {
      bindRange(select, room, lower, upper, maxCount);
      select.setFetchSize(Math.min(maxCount, FETCH_SIZE));
      List<StoredMessage> page = new ArrayList<>();
      List<Long> reacted = new ArrayList<>();
      long bytes = 0;
      boolean cut = false;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          StoredMessage m = MessageRows.read(rs);
          bytes += MessageRows.estimatedSize(m);
          if (bytes > maxBytes && !page.isEmpty()) {
            cut = true;
            break;
          }
          page.add(m);
          if (rs.getInt(MessageRows.REACTIONS_COLUMN) > 0) {
            reacted.add(m.seq());
          }
        }
      }
      if (!reacted.isEmpty()) {
        page = ReactionRows.attach(c, room, page, reacted);
      }
      c.commit();
      return new Budgeted(page, cut);
    }
  }

  private static void bindRange(PreparedStatement select, String room, long lower, long upper,
      int limit) throws SQLException {
    select.setQueryTimeout(QUERY_TIMEOUT_S);
    select.setString(1, room);
    select.setLong(2, lower);
    select.setLong(3, upper);
    select.setInt(4, limit);
  }

  private <T> T read(String what, Read<T> read) {
    try (Connection c = database.reads().getConnection()) {
      return read.run(c);
    } catch (SQLException e) {
      throw new StoreException(
          what + " failed on " + database.description() + ": " + SqlFailures.describe(e), e);
    }
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
