package io.parley.sql.internal;

import io.parley.sql.PresenceLedger.Change;
import io.parley.sql.PresenceLedger.Key;
import io.parley.sql.PresenceLedger.Kind;
import io.parley.sql.PresenceLedger.Written;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The statements of one presence transaction: lock the keys, read who holds them, play the
 * changes over that in order, then write the holders that changed and the events, in the caller's
 * transaction. Why play them in memory: a batch's changes cost a fixed handful of statements (one
 * lock, one read, one delete, one insert, one event insert), however many keys it touches.
 *
 * <p>The key rows are locked by one statement in the database's order, so two transactions that
 * share keys queue up instead of deadlocking; a node's lease row, where a caller locks it, is
 * locked before any key row.
 *
 * <p>Threading: one instance per transaction, confined to the calling thread.
 */
final class PresenceRows {

  private static final String CREATE_KEY =
      "INSERT INTO presence_keys (presence_key) VALUES (?) ON CONFLICT DO NOTHING";
  private static final String LOCK_KEYS = "SELECT presence_key FROM presence_keys"
      + " WHERE presence_key = ANY(?) ORDER BY presence_key FOR UPDATE";
  private static final String HOLDERS =
      "SELECT presence_key, node FROM presence_holders WHERE presence_key = ANY(?)";
  private static final String DROP = "DELETE FROM presence_holders WHERE node = ? AND presence_key = ANY(?)";
  private static final String ADD = "INSERT INTO presence_holders (presence_key, node)"
      + " SELECT v.k, ? FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS v (k)";
  private static final String EVENT = "INSERT INTO webhook_outbox"
      + " (event_id, type, order_key, data, created_at, next_attempt_at)"
      + " VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE))";

  private PresenceRows() {}

  /**
   * Creates the key rows that do not exist yet, each committed at once ({@code connection} must
   * auto-commit), so that {@link #play}'s lock finds every row. Keys in {@code known} are skipped.
   */
  static void createKeys(Connection connection, Set<Key> keys, KnownRooms known) throws SQLException {
    TreeSet<String> missing = new TreeSet<>();
    for (Key key : keys) {
      if (!known.contains(key.text())) {
        missing.add(key.text());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(CREATE_KEY)) {
      for (String key : missing) { // one order on every node: no two inserts wait on each other in a cycle
        s.setString(1, key);
        s.addBatch();
      }
      s.executeBatch();
    }
    known.addAll(missing);
  }

  /**
   * Applies {@code node}'s changes in order on {@code connection} (not auto-committing; the
   * caller commits), writing an event per transition of a key's holders between none and some.
   */
  static List<Written> play(Connection connection, String node, List<Change> changes) throws SQLException {
    if (changes.isEmpty()) {
      return List.of();
    }
    Set<String> texts = new TreeSet<>();
    for (Change change : changes) {
      texts.add(change.key().text());
    }
    lock(connection, texts);
    Map<String, Set<String>> holders = holders(connection, texts);
    Set<String> heldBefore = new HashSet<>();
    holders.forEach((key, nodes) -> {
      if (nodes.contains(node)) {
        heldBefore.add(key);
      }
    });
    List<Written> written = new ArrayList<>();
    List<Change> eventChanges = new ArrayList<>();
    for (Change change : changes) {
      Set<String> nodes = holders.computeIfAbsent(change.key().text(), k -> new HashSet<>());
      if (change.present() && nodes.add(node) && nodes.size() == 1) {
        written.add(new Written(change.key().kind().cameType(), change.key()));
        eventChanges.add(change);
      } else if (!change.present() && nodes.remove(node) && nodes.isEmpty()) {
        written.add(new Written(change.key().kind().wentType(), change.key()));
        eventChanges.add(change);
      }
    }
    List<String> dropped = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (String key : texts) {
      boolean now = holders.getOrDefault(key, Set.of()).contains(node);
      if (now && !heldBefore.contains(key)) {
        added.add(key);
      } else if (!now && heldBefore.contains(key)) {
        dropped.add(key);
      }
    }
    update(connection, DROP, node, dropped);
    update(connection, ADD, node, added);
    insertEvents(connection, written, eventChanges);
    return written;
  }

  /** The keys {@code node} holds. */
  static Set<Key> heldBy(Connection connection, String node) throws SQLException {
    Set<Key> keys = new HashSet<>();
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT presence_key FROM presence_holders WHERE node = ?")) {
      s.setString(1, node);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Key key = parse(r.getString(1));
          if (key != null) {
            keys.add(key);
          }
        }
      }
    }
    return keys;
  }

  /** The changes that take {@code node} from {@code held} to {@code wanted}. */
  static List<Change> difference(Set<Key> held, Set<Key> wanted, Instant at) {
    List<Change> changes = new ArrayList<>();
    for (Key key : new TreeSet<>(held)) {
      if (!wanted.contains(key)) {
        changes.add(new Change(key, false, at));
      }
    }
    for (Key key : new TreeSet<>(wanted)) {
      if (!held.contains(key)) {
        changes.add(new Change(key, true, at));
      }
    }
    return changes;
  }

  private static Key parse(String text) {
    for (Kind kind : Kind.values()) {
      if (text.startsWith(kind.prefix())) {
        return new Key(kind, text.substring(kind.prefix().length()));
      }
    }
    return null; // not written by this version: left alone
  }

  private static void lock(Connection connection, Set<String> keys) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(LOCK_KEYS)) {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S * 3);
      s.setArray(1, SqlArrays.varchars(connection, keys));
      try (ResultSet r = s.executeQuery()) {
        int locked = 0;
        while (r.next()) {
          locked++;
        }
        if (locked != keys.size()) {
          throw new SQLException("presence: locked " + locked + " of " + keys.size()
              + " key rows; the others were not created first");
        }
      }
    }
  }

  private static Map<String, Set<String>> holders(Connection connection, Set<String> keys) throws SQLException {
    Map<String, Set<String>> holders = new HashMap<>();
    try (PreparedStatement s = connection.prepareStatement(HOLDERS)) {
      s.setArray(1, SqlArrays.varchars(connection, keys));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          holders.computeIfAbsent(r.getString(1), k -> new HashSet<>()).add(r.getString(2));
        }
      }
    }
    return holders;
  }

  private static void update(Connection connection, String sql, String node, List<String> keys) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setString(1, node);
      s.setArray(2, SqlArrays.varchars(connection, keys));
      s.executeUpdate();
    }
  }

  /** One outbox row per event, in order, so their ids grow in the order of the transitions. */
  private static void insertEvents(Connection connection, List<Written> written, List<Change> causes)
      throws SQLException {
    if (written.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(EVENT)) {
      for (int i = 0; i < written.size(); i++) {
        Written w = written.get(i);
        Key key = w.key();
        s.setString(1, UUID.randomUUID().toString());
        s.setString(2, w.type());
        // A room's events keep their order with its message events; a user's among themselves.
        s.setString(3, key.kind() == Kind.ROOM ? key.name() : key.text());
        s.setString(4, "{\"" + key.kind().field() + "\":" + jsonString(key.name()) + "}");
        s.setObject(5, MessageRows.utc(causes.get(i).at()));
        s.setObject(6, MessageRows.utc(causes.get(i).at()));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** A JSON string literal (RFC 8259: quote, backslash and control characters escaped). */
  static String jsonString(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
