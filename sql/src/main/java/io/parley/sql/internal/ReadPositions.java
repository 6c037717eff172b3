package io.parley.sql.internal;

import io.parley.sql.ReadMark;
import io.parley.sql.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read positions ({@code read_positions}): per room and user, the highest seq marked read. A mark
 * only moves forward, and never past the room's last seq. Two marks of one user racing (two
 * sessions, two nodes) both end at the higher one: the UPDATE's {@code seq < ?} decides, and the
 * first INSERT of a pair wins while the other, hitting the primary key, is retried once as an
 * UPDATE. Uses the read pool (it is not read-only): the write pool's two connections belong to
 * the group commit, whose wait for one is how the node tells that the database failed, and a busy
 * room's marks must not queue ahead of it. Stateless apart from the pool; safe for any number of
 * threads.
 */
final class ReadPositions {
  private static final Logger LOG = LoggerFactory.getLogger(ReadPositions.class);
  private static final String LAST_SEQ = "SELECT last_seq FROM rooms WHERE name = ?";
  private static final String POSITION = "SELECT seq FROM read_positions WHERE room = ? AND user_name = ?";
  private static final String FORWARD =
      "UPDATE read_positions SET seq = ?, updated_at = ? WHERE room = ? AND user_name = ? AND seq < ?";
  private static final String FIRST =
      "INSERT INTO read_positions (room, user_name, seq, updated_at) VALUES (?, ?, ?, ?)";

  private final PooledDatabase database;

  ReadPositions(PooledDatabase database) {
    this.database = database;
  }

  ReadMark mark(String room, String user, long seq, Instant now) {
    try {
      return markOnce(room, user, seq, now);
    } catch (SQLException first) {
      if (!SqlFailures.isRetryable(first)) {
        throw failed("marking " + room + " read", first);
      }
      LOG.debug("read mark of {} in {} raced with another ({}); retrying once", user, room, SqlFailures.describe(first));
      try {
        return markOnce(room, user, seq, now);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw failed("marking " + room + " read", second);
      }
    }
  }

  private ReadMark markOnce(String room, String user, long seq, Instant now) throws SQLException {
    try (Connection c = database.reads().getConnection()) {
      c.setAutoCommit(false);
      try {
        long last = lastSeq(c, room);
        long current = position(c, room, user);
        boolean moved = false;
        if (seq <= last && seq > current) {
          // A stored position is at least 1 (a mark of 0 moves nothing), so 0 means "no row yet".
          moved = current > 0 ? forward(c, room, user, seq, now) : insert(c, room, user, seq, now);
        }
        c.commit();
        return new ReadMark(moved ? seq : position(c, room, user), moved, last);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  long position(String room, String user) {
    try (Connection c = database.reads().getConnection()) {
      return position(c, room, user);
    } catch (SQLException e) {
      throw failed("reading a read position in " + room, e);
    }
  }

  private static long lastSeq(Connection c, String room) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LAST_SEQ)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  private static long position(Connection c, String room, String user) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(POSITION)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      s.setString(2, user);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  private static boolean forward(Connection c, String room, String user, long seq, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FORWARD)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setLong(1, seq);
      s.setObject(2, MessageRows.utc(now));
      s.setString(3, room);
      s.setString(4, user);
      s.setLong(5, seq);
      return s.executeUpdate() == 1;
    }
  }

  private static boolean insert(Connection c, String room, String user, long seq, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FIRST)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      s.setString(2, user);
      s.setLong(3, seq);
      s.setObject(4, MessageRows.utc(now));
      return s.executeUpdate() == 1;
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed on " + database.description() + ": " + SqlFailures.describe(e), e);
  }
}
