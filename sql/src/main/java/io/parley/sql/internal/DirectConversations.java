package io.parley.sql.internal;

import io.parley.sql.Conversation;
import io.parley.sql.MessageStore;
import io.parley.sql.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Direct conversations ({@code dm_conversations}, migration V5): who takes part in a {@code dm.}
 * room, and each participant's view of it for {@code dm.list}. Opening writes the two rows once
 * (a repeat changes nothing); {@link #touch} is called by the append inside its transaction, with
 * the rooms' row locks held, so a conversation's {@code last_seq} is always its room's. Stateless
 * apart from the pool; safe for any number of threads.
 */
final class DirectConversations {
  private static final String OPEN =
      "INSERT INTO dm_conversations (room, user_name, with_user) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String TOUCH = "MERGE INTO dm_conversations USING (SELECT * FROM UNNEST("
      + "CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY))) AS v (room, last_seq)"
      + " ON dm_conversations.room = v.room WHEN MATCHED THEN UPDATE SET last_seq = v.last_seq, last_at = ?";
  private static final String PARTICIPANTS = "SELECT user_name FROM dm_conversations WHERE room = ? ORDER BY user_name";
  private static final String LIST = "SELECT d.room, d.with_user, d.last_seq, COALESCE(r.seq, 0)"
      + " FROM dm_conversations d LEFT JOIN read_positions r ON r.room = d.room AND r.user_name = d.user_name"
      + " WHERE d.user_name = ? AND d.last_seq > 0 ORDER BY d.last_at DESC, d.room LIMIT ?";

  private final PooledDatabase database;

  DirectConversations(PooledDatabase database) {
    this.database = database;
  }

  void open(String room, String first, String second) {
    try (Connection c = database.writes().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(OPEN)) {
        s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
        add(s, room, first, second);
        add(s, room, second, first);
        s.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failed("opening conversation " + room, e);
    }
  }

  private static void add(PreparedStatement s, String room, String user, String with) throws SQLException {
    s.setString(1, room);
    s.setString(2, user);
    s.setString(3, with);
    s.addBatch();
  }

  List<String> participants(String room) {
    try (Connection c = database.reads().getConnection();
        PreparedStatement s = c.prepareStatement(PARTICIPANTS)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, room);
      List<String> users = new ArrayList<>(2);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          users.add(r.getString(1));
        }
      }
      return List.copyOf(users);
    } catch (SQLException e) {
      throw failed("reading the participants of " + room, e);
    }
  }

  List<Conversation> list(String user, int limit) {
    try (Connection c = database.reads().getConnection();
        PreparedStatement s = c.prepareStatement(LIST)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      s.setString(1, user);
      s.setInt(2, limit);
      List<Conversation> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new Conversation(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("listing the conversations of a user", e);
    }
  }

  /**
   * Inside an append's transaction: the conversations among {@code lastSeqs}' rooms take their
   * room's new last seq and {@code ts}. One statement, and none when no direct room is among them.
   */
  static void touch(Connection connection, Map<String, Long> lastSeqs, Instant ts) throws SQLException {
    Map<String, Long> direct = new TreeMap<>();
    lastSeqs.forEach((room, seq) -> {
      if (room.startsWith(MessageStore.DIRECT_ROOM_PREFIX)) {
        direct.put(room, seq);
      }
    });
    if (direct.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(TOUCH)) {
      s.setArray(1, SqlArrays.varchars(connection, direct.keySet()));
      s.setArray(2, SqlArrays.bigints(connection, direct.values().toArray(new Long[0])));
      s.setObject(3, MessageRows.utc(ts));
      s.executeUpdate();
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed on " + database.description() + ": " + SqlFailures.describe(e), e);
  }
}
