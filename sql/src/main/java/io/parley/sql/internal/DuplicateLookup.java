package io.parley.sql.internal;

import io.parley.sql.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * A {@code VALUES} list joined to the table, rather than {@code IN (...)}, makes both databases
 * probe the index once per key, where H2 would otherwise scan.
 *
 * <p>Threading: stateless; runs on the caller's connection and transaction.
 */
final class DuplicateLookup {

  /** Keys looked up per query; bounds the statement's size and parameter count. */
  static final int CHUNK = 100;

  /** The idempotency key of a message. */
  record Key(String room, String sender, String clientId) {}

  private DuplicateLookup() {}

  /** The stored messages with one of {@code keys}, by key; keys with none are absent. */
  static Map<Key, StoredMessage> find(Connection connection, List<Key> keys) throws SQLException {
    Map<Key, StoredMessage> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += CHUNK) {
      findChunk(connection, keys.subList(from, Math.min(keys.size(), from + CHUNK)), found);
    }
    return found;
  }

  private static void findChunk(Connection connection, List<Key> keys, Map<Key, StoredMessage> found)
      throws SQLException {
    String values = String.join(", ", Collections.nCopies(keys.size(), "(?, ?, ?)"));
    String sql = "SELECT " + MessageRows.COLUMNS + " FROM (VALUES " + values + ") AS v (r, s, cid)"
        + " JOIN messages m ON m.room = v.r AND m.client_id = v.cid AND m.sender = v.s";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int p = 1;
      for (Key key : keys) {
        select.setString(p++, key.room());
        select.setString(p++, key.sender());
        select.setString(p++, key.clientId());
      }
      try (ResultSet rs = select.executeQuery()) {
        for (StoredMessage m : MessageRows.readAll(rs)) {
          found.put(new Key(m.room(), m.sender(), m.clientId()), m);
        }
      }
    }
  }
}
