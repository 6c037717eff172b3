package io.parley.sql.internal;

import io.parley.sql.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGStatement;

/**
 * Finds the stored messages that a batch's (room, sender, client id) keys repeat: the
 * idempotency check of an append.
 *
 * <p>Why it matches all three columns: it once matched (room, client id) and checked the sender
 * afterwards, so every sender's message with a popular client id came back, text and all. 5,000
 * messages sharing one client id made each later send with it read 80 MB while the node's only
 * committer waited. Matching the whole key reads at most one row per key, through the unique
 * index {@code messages_idempotency_uq}; its column order (room, client_id, sender) serves an
 * equality on all three columns as well as any other order would, so the schema is unchanged.
 * The keys arrive as three arrays ({@link SqlArrays}) unnested into a table and joined to
 * {@code messages}, rather than {@code IN (...)}: both databases then probe the index once per
 * key (H2 would otherwise scan), and one query serves any number of keys (a {@code VALUES} list
 * of bound parameters took 100 keys per query and one round trip per hundred).
 *
 * <p>Threading: stateless; runs on the caller's connection and transaction.
 */
final class DuplicateLookup {

  private static final String FIND = "SELECT " + MessageRows.COLUMNS
      + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY))"
      + " AS v (r, s, cid) JOIN messages m ON m.room = v.r AND m.client_id = v.cid AND m.sender = v.s";

  /** The idempotency key of a message. */
  record Key(String room, String sender, String clientId) {}

  private DuplicateLookup() {}

  /** The stored messages with one of {@code keys}, by key; keys with none are absent. */
  static Map<Key, StoredMessage> find(Connection connection, List<Key> keys) throws SQLException {
    Map<Key, StoredMessage> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    String[] rooms = new String[keys.size()];
    String[] senders = new String[keys.size()];
    String[] clientIds = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      rooms[i] = keys.get(i).room();
      senders[i] = keys.get(i).sender();
      clientIds[i] = keys.get(i).clientId();
    }
    try (PreparedStatement select = connection.prepareStatement(FIND)) {
      planEachTime(select);
      select.setArray(1, SqlArrays.varchars(connection, rooms));
      select.setArray(2, SqlArrays.varchars(connection, senders));
      select.setArray(3, SqlArrays.varchars(connection, clientIds));
      try (ResultSet rs = select.executeQuery()) {
        for (StoredMessage m : MessageRows.readAll(rs)) {
          found.put(new Key(m.room(), m.sender(), m.clientId()), m);
        }
      }
    }
    return found;
  }

  /**
   * PostgreSQL: plans the lookup with this batch's keys and the table's current size every time,
   * instead of keeping a generic plan. One made while {@code messages} was small (a new database,
   * before autovacuum's first ANALYZE) joins by reading the whole table, and the connection keeps
   * it until the table is analysed (a minute or more on a busy new database): appends of 180 messages
   * with client ids took 40-80 ms at 300,000-450,000 stored messages instead of 3. Planning each
   * time costs the database about 0.15 ms per batch (under 1 µs per message). H2 always probes
   * the index.
   */
  private static void planEachTime(PreparedStatement select) throws SQLException {
    if (select.isWrapperFor(PGStatement.class)) {
      select.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
  }
}
