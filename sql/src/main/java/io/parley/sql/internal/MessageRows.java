package io.parley.sql.internal;

import io.parley.sql.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps between rows of {@code messages} and {@link StoredMessage}, so that every query selects
 * the same columns in the same order and timestamps cross JDBC one way only
 * ({@link OffsetDateTime} in UTC, which both drivers map to TIMESTAMP WITH TIME ZONE exactly).
 */
final class MessageRows {

  /** Columns of a message, in the order {@link #read} expects; qualified for use in joins. */
  static final String COLUMNS = "m.room, m.seq, m.sender, m.text, m.client_id, m.ts";

  static final String INSERT =
      "INSERT INTO messages (room, seq, sender, text, client_id, ts) VALUES (?, ?, ?, ?, ?, ?)";

  /**
   * Bytes a message is counted for on top of its strings: the JSON names, quotes, seq and
   * timestamp of a serialised message.
   */
  static final long JSON_OVERHEAD_BYTES = 96;

  private MessageRows() {}

  static StoredMessage read(ResultSet rs) throws SQLException {
    return new StoredMessage(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getObject(6, OffsetDateTime.class).toInstant());
  }

  static List<StoredMessage> readAll(ResultSet rs) throws SQLException {
    List<StoredMessage> result = new ArrayList<>();
    while (rs.next()) {
      result.add(read(rs));
    }
    return result;
  }

  static void bindInsert(PreparedStatement insert, StoredMessage m) throws SQLException {
    insert.setString(1, m.room());
    insert.setLong(2, m.seq());
    insert.setString(3, m.sender());
    insert.setString(4, m.text());
    insert.setString(5, m.clientId());
    insert.setObject(6, utc(m.ts()));
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The approximate size of a message serialised as JSON, for recovery's byte budget. */
  static long estimatedSize(StoredMessage m) {
    return JSON_OVERHEAD_BYTES + utf8Length(m.room()) + utf8Length(m.sender())
        + utf8Length(m.text()) + utf8Length(m.clientId());
  }

  static long utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isSurrogate(c)) {
        bytes += 2; // a surrogate pair is one 4-byte character
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
