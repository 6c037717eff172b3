package io.parley.sql.internal;

import io.parley.sql.Appended;
import io.parley.sql.NewMessage;
import io.parley.sql.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The work of one append transaction: numbering a batch of messages and inserting them.
 *
 * <p>Why it is done this way: seq must be gap-free per room also with several server processes,
 * so the counter lives in the room's row and is advanced under that row's lock ({@code SELECT
 * ... FOR UPDATE}) inside the transaction that inserts the messages; a rollback then gives the
 * numbers back. Rooms are locked in name order, so two batches that share rooms always queue
 * up instead of deadlocking. The duplicate lookup runs after the lock: any other writer of the
 * same room has committed by then, so a client id it stored is seen. Per room this costs one
 * lock round trip and at most one lookup per {@value #LOOKUP_CHUNK} client ids; the inserts and
 * counter updates of the whole batch go in one JDBC batch each.
 *
 * <p>Threading: one instance per transaction, confined to the calling thread. The caller owns
 * the connection and the transaction (commit, rollback, retry).
 */
final class BatchAppend {

  private static final String LOCK_ROOM = "SELECT last_seq FROM rooms WHERE name = ? FOR UPDATE";
  private static final String CREATE_ROOM =
      "INSERT INTO rooms (name) VALUES (?) ON CONFLICT DO NOTHING";
  private static final String UPDATE_LAST_SEQ = "UPDATE rooms SET last_seq = ? WHERE name = ?";

  /** Client ids looked up per query; bounds the statement's size and parameter count. */
  static final int LOOKUP_CHUNK = 100;

  private record Key(String sender, String clientId) {}

  private final Connection connection;
  private final List<NewMessage> batch;
  private final Instant ts;
  private final Appended[] results;

  private BatchAppend(Connection connection, List<NewMessage> batch, Instant ts) {
    this.connection = connection;
    this.batch = batch;
    this.ts = ts;
    this.results = new Appended[batch.size()];
  }

  /** Runs the statements of one append on {@code connection}, which must not auto-commit. */
  static List<Appended> run(Connection connection, List<NewMessage> batch, Instant ts)
      throws SQLException {
    return new BatchAppend(connection, batch, ts).run();
  }

  private List<Appended> run() throws SQLException {
    Map<String, List<Integer>> byRoom = new TreeMap<>(); // name order = lock order
    for (int i = 0; i < batch.size(); i++) {
      byRoom.computeIfAbsent(batch.get(i).room(), room -> new ArrayList<>()).add(i);
    }
    try (PreparedStatement insert = connection.prepareStatement(MessageRows.INSERT);
        PreparedStatement counters = connection.prepareStatement(UPDATE_LAST_SEQ)) {
      boolean stored = false;
      for (Map.Entry<String, List<Integer>> room : byRoom.entrySet()) {
        stored |= appendToRoom(room.getKey(), room.getValue(), insert, counters);
      }
      if (stored) {
        insert.executeBatch();
        counters.executeBatch();
      }
    }
    return Arrays.asList(results);
  }

  /** Numbers the room's messages and adds them to the batches; true if any is new. */
  private boolean appendToRoom(
      String room, List<Integer> indexes, PreparedStatement insert, PreparedStatement counters)
      throws SQLException {
    long firstSeq = lockRoom(room);
    long seq = firstSeq;
    Map<Key, StoredMessage> known = storedClientIds(room, indexes);
    for (int index : indexes) {
      NewMessage m = batch.get(index);
      Key key = m.clientId() == null ? null : new Key(m.sender(), m.clientId());
      StoredMessage earlier = key == null ? null : known.get(key);
      if (earlier != null) {
        results[index] = new Appended(earlier, true);
        continue;
      }
      StoredMessage stored = new StoredMessage(room, ++seq, m.sender(), m.text(), m.clientId(), ts);
      if (key != null) {
        known.put(key, stored);
      }
      MessageRows.bindInsert(insert, stored);
      insert.addBatch();
      results[index] = new Appended(stored, false);
    }
    if (seq == firstSeq) {
      return false;
    }
    counters.setLong(1, seq);
    counters.setString(2, room);
    counters.addBatch();
    return true;
  }

  /** Locks the room's row, creating it first if needed, and returns its last seq. */
  private long lockRoom(String room) throws SQLException {
    Long lastSeq = selectForUpdate(room);
    if (lastSeq == null) {
      try (PreparedStatement create = connection.prepareStatement(CREATE_ROOM)) {
        create.setString(1, room);
        create.executeUpdate(); // a concurrent creator makes this wait, then do nothing
      }
      lastSeq = selectForUpdate(room);
      if (lastSeq == null) {
        throw new SQLException("room '" + room + "' is missing right after it was created");
      }
    }
    return lastSeq;
  }

  private Long selectForUpdate(String room) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(LOCK_ROOM)) {
      select.setString(1, room);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** The stored messages of this room whose (sender, client id) the batch repeats. */
  private Map<Key, StoredMessage> storedClientIds(String room, List<Integer> indexes)
      throws SQLException {
    Set<String> clientIds = new LinkedHashSet<>();
    for (int index : indexes) {
      if (batch.get(index).clientId() != null) {
        clientIds.add(batch.get(index).clientId());
      }
    }
    Map<Key, StoredMessage> known = new HashMap<>();
    List<String> all = List.copyOf(clientIds);
    for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
      lookUp(room, all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK)), known);
    }
    return known;
  }

  /**
   * Joins a VALUES list with messages rather than using {@code client_id IN (...)}: both
   * databases then probe the idempotency index once per client id, where H2 would otherwise
   * scan the whole room.
   */
  private void lookUp(String room, List<String> clientIds, Map<Key, StoredMessage> known)
      throws SQLException {
    String values = String.join(", ", Collections.nCopies(clientIds.size(), "(?)"));
    String sql = "SELECT " + MessageRows.COLUMNS + " FROM (VALUES " + values + ") AS v (cid)"
        + " JOIN messages m ON m.room = ? AND m.client_id = v.cid";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int p = 1;
      for (String clientId : clientIds) {
        select.setString(p++, clientId);
      }
      select.setString(p, room);
      try (ResultSet rs = select.executeQuery()) {
        for (StoredMessage m : MessageRows.readAll(rs)) {
          known.put(new Key(m.sender(), m.clientId()), m);
        }
      }
    }
  }
}
