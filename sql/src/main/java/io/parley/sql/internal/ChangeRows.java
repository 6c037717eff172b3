package io.parley.sql.internal;

import io.parley.sql.ChangeKind;
import io.parley.sql.ChangePage;
import io.parley.sql.StoreException;
import io.parley.sql.StoredChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the change log ({@code message_changes}): pages for recovery and {@code chat.changes}, a
 * room's last rev, and single changes for webhooks. A page is a range of the primary key (room,
 * rev) with a LIMIT, bounded by an estimate of its JSON size like history pages.
 */
final class ChangeRows {
  static final String COLUMNS = "c.room, c.rev, c.seq, c.kind, c.user_name, c.ts, c.text, c.emoji, c.on_flag";
  private static final String PAGE = "SELECT " + COLUMNS + " FROM message_changes c"
      + " WHERE c.room = ? AND c.rev > ? AND c.rev <= ? ORDER BY c.rev LIMIT ?";
  private static final String LAST_REV = "SELECT last_rev FROM rooms WHERE name = ?";
  /** Names, quotes, rev, seq, kind and timestamp of a serialised change. */
  private static final long JSON_OVERHEAD_BYTES = 120;

  private final PooledDatabase database;

  ChangeRows(PooledDatabase database) {
    this.database = database;
  }

  ChangePage page(String room, long after, long upTo, int limit, long maxBytes) {
    Objects.requireNonNull(room, "room");
    if (limit < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("limit and maxBytes must be at least 1, got " + limit + " and " + maxBytes);
    }
    try (Connection c = database.reads().getConnection();
        PreparedStatement s = c.prepareStatement(PAGE)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      s.setLong(2, after);
      s.setLong(3, upTo);
      s.setInt(4, limit);
      List<StoredChange> changes = new ArrayList<>();
      long bytes = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          StoredChange change = read(rs);
          bytes += estimatedSize(change);
          if (bytes > maxBytes && !changes.isEmpty()) {
            return new ChangePage(changes, true);
          }
          changes.add(change);
        }
      }
      return new ChangePage(changes, false);
    } catch (SQLException e) {
      throw failed("changes of room '" + room + "' after rev " + after, e);
    }
  }

  long lastRev(String room) {
    Objects.requireNonNull(room, "room");
    try (Connection c = database.reads().getConnection();
        PreparedStatement s = c.prepareStatement(LAST_REV)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw failed("last rev of room '" + room + "'", e);
    }
  }

  /** A change from a row of {@link #COLUMNS}, starting at column {@code 1}. */
  static StoredChange read(ResultSet rs) throws SQLException {
    boolean on = rs.getBoolean(9);
    Boolean onFlag = rs.wasNull() ? null : on;
    return new StoredChange(rs.getString(1), rs.getLong(2), rs.getLong(3), ChangeKind.ofStored(rs.getString(4)),
        rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7), rs.getString(8), onFlag);
  }

  static long estimatedSize(StoredChange c) {
    return JSON_OVERHEAD_BYTES + MessageRows.utf8Length(c.room()) + MessageRows.utf8Length(c.user())
        + MessageRows.utf8Length(c.text()) + MessageRows.utf8Length(c.emoji());
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed on " + database.description() + ": " + SqlFailures.describe(e), e);
  }
}
