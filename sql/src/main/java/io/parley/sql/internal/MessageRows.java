package io.parley.sql.internal;

import io.parley.sql.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps between rows of {@code messages} and {@link StoredMessage}, so that every query selects
 * the same columns in the same order and timestamps cross JDBC one way only
 * ({@link OffsetDateTime} in UTC, which both drivers map to TIMESTAMP WITH TIME ZONE exactly).
 */
final class MessageRows {

  /**
   * Columns of a message, in the order {@link #read} expects; qualified for use in joins. The last,
   * {@link #REACTIONS_COLUMN}, says whether the message has reactions to read from their table.
   */
  static final String COLUMNS = "m.room, m.seq, m.sender, m.text, m.client_id, m.ts, m.edited_at, m.deleted,"
      + " m.reactions";
  /** The 1-based index of the reaction count in {@link #COLUMNS}. */
  static final int REACTIONS_COLUMN = 9;

  /**
   * Inserts the rows of one append, which share one timestamp, with one statement however many
   * they are: a column per array ({@link SqlArrays}), the timestamp bound once.
   */
  private static final String INSERT_ALL = "INSERT INTO messages (room, seq, sender, text, client_id, ts)"
      + " SELECT v.room, v.seq, v.sender, v.text, v.client_id, CAST(? AS TIMESTAMP WITH TIME ZONE)"
      + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY), CAST(? AS VARCHAR ARRAY),"
      + " CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY)) AS v (room, seq, sender, text, client_id)";

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
        rs.getObject(6, OffsetDateTime.class).toInstant(),
        instant(rs.getObject(7, OffsetDateTime.class)),
        rs.getBoolean(8),
        Map.of());
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  static List<StoredMessage> readAll(ResultSet rs) throws SQLException {
    List<StoredMessage> result = new ArrayList<>();
    while (rs.next()) {
      result.add(read(rs));
    }
    return result;
  }

  /** Inserts {@code rows}, all stamped {@code ts}, in one statement; does nothing for none. */
  static void insertAll(Connection connection, List<StoredMessage> rows, Instant ts) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    int n = rows.size();
    String[] rooms = new String[n];
    Long[] seqs = new Long[n];
    String[] senders = new String[n];
    String[] texts = new String[n];
    String[] clientIds = new String[n];
    for (int i = 0; i < n; i++) {
      StoredMessage m = rows.get(i);
      rooms[i] = m.room();
      seqs[i] = m.seq();
      senders[i] = m.sender();
      texts[i] = m.text();
      clientIds[i] = m.clientId();
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
      insert.setObject(1, utc(ts));
      insert.setArray(2, SqlArrays.varchars(connection, rooms));
      insert.setArray(3, SqlArrays.bigints(connection, seqs));
      insert.setArray(4, SqlArrays.varchars(connection, senders));
      insert.setArray(5, SqlArrays.varchars(connection, texts));
      insert.setArray(6, SqlArrays.varchars(connection, clientIds));
      insert.executeUpdate();
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The approximate size of a message serialised as JSON, for recovery's byte budget. */
  static long estimatedSize(StoredMessage m) {
    long reactions = 0;
    for (Map.Entry<String, List<String>> e : m.reactions().entrySet()) {
      reactions += 8 + utf8Length(e.getKey());
      for (String user : e.getValue()) {
        reactions += 3 + utf8Length(user);
      }
    }
    return JSON_OVERHEAD_BYTES + utf8Length(m.room()) + utf8Length(m.sender())
        + utf8Length(m.text()) + utf8Length(m.clientId()) + reactions + (m.edited() == null ? 0 : 36);
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
