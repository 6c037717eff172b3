package io.parley.sql.internal;

import io.parley.sql.Appended;
import io.parley.sql.NewMessage;
import io.parley.sql.StoredMessage;
import io.parley.sql.internal.DuplicateLookup.Key;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * numbers back. All rooms of the batch are locked by one statement, in name order, so two
 * batches that share rooms queue up instead of deadlocking. Rooms the process has not seen yet
 * are created first, in a transaction of their own, so that the locking statement finds every
 * row (an empty room row is invisible to clients). The duplicate lookup runs after the lock: any
 * other writer of the same rooms has committed by then, so a client id it stored is seen.
 *
 * <p>Statements per batch, whatever the number of rooms and messages: one lock, one duplicate
 * lookup (none without client ids), one insert and one counter update, each taking its rows as
 * arrays ({@link SqlArrays}); the commit is the caller's. Per room, at first, was one lock and
 * one lookup each (a hundred round trips for fifty rooms); then a JDBC batch of single-row
 * inserts and one of single-row updates, which cost the database about 13-19 µs of CPU per
 * stored message against 10-12 µs now, and the committer thread more binding.
 *
 * <p>Threading: one instance per transaction, confined to the calling thread. The caller owns
 * the connection and the transaction (commit, rollback, retry); {@code knownRooms} is shared
 * and thread-safe.
 */
final class BatchAppend {

  private static final String CREATE_ROOM =
      "INSERT INTO rooms (name) VALUES (?) ON CONFLICT DO NOTHING";
  private static final String LOCK_ROOMS =
      "SELECT name, last_seq FROM rooms WHERE name = ANY(?) ORDER BY name FOR UPDATE";
  private static final String UPDATE_LAST_SEQS = "MERGE INTO rooms USING (SELECT * FROM UNNEST("
      + "CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY))) AS v (name, last_seq)"
      + " ON rooms.name = v.name WHEN MATCHED THEN UPDATE SET last_seq = v.last_seq";

  /** Serialization failure: the caller retries the append once. */
  private static final String RETRY_STATE = "40001";

  private final Connection connection;
  private final List<NewMessage> batch;
  private final Instant ts;
  private final KnownRooms knownRooms;
  private final Appended[] results;
  private final boolean webhookOutbox;

  private BatchAppend(Connection connection, List<NewMessage> batch, Instant ts, KnownRooms knownRooms,
      boolean webhookOutbox) {
    this.webhookOutbox = webhookOutbox;
    this.connection = connection;
    this.batch = batch;
    this.ts = ts;
    this.knownRooms = knownRooms;
    this.results = new Appended[batch.size()];
  }

  /**
   * Runs the statements of one append on {@code connection}, which must not auto-commit.
   *
   * @param knownRooms rooms known to have a row; the append adds the ones it creates
   * @param webhookOutbox whether to write a message.stored outbox row per new message
   */
  static List<Appended> run(Connection connection, List<NewMessage> batch, Instant ts, KnownRooms knownRooms,
      boolean webhookOutbox) throws SQLException {
    return new BatchAppend(connection, batch, ts, knownRooms, webhookOutbox).run();
  }

  private List<Appended> run() throws SQLException {
    Map<String, List<Integer>> byRoom = new TreeMap<>(); // name order = lock order
    for (int i = 0; i < batch.size(); i++) {
      byRoom.computeIfAbsent(batch.get(i).room(), room -> new ArrayList<>()).add(i);
    }
    createUnknownRooms(byRoom.keySet());
    Map<String, Long> lastSeqs = lockRooms(byRoom.keySet());
    Map<Key, StoredMessage> known = storedClientIds();
    List<StoredMessage> fresh = new ArrayList<>(batch.size());
    Map<String, Long> advanced = new TreeMap<>();
    for (Map.Entry<String, List<Integer>> room : byRoom.entrySet()) {
      long first = lastSeqs.get(room.getKey());
      long last = appendToRoom(room.getKey(), first, room.getValue(), known, fresh);
      if (last != first) {
        advanced.put(room.getKey(), last);
      }
    }
    if (!fresh.isEmpty()) {
      MessageRows.insertAll(connection, fresh, ts);
      if (webhookOutbox) {
        OutboxRows.insertStored(connection, fresh, ts);
      }
      updateLastSeqs(advanced);
      DirectConversations.touch(connection, advanced, ts);
    }
    return Arrays.asList(results);
  }

  /** Numbers the room's new messages after {@code firstSeq} into {@code fresh}; returns the last seq. */
  private long appendToRoom(String room, long firstSeq, List<Integer> indexes, Map<Key, StoredMessage> known,
      List<StoredMessage> fresh) {
    long seq = firstSeq;
    for (int index : indexes) {
      NewMessage m = batch.get(index);
      Key key = m.clientId() == null ? null : new Key(room, m.sender(), m.clientId());
      StoredMessage earlier = key == null ? null : known.get(key);
      if (earlier != null) {
        results[index] = new Appended(earlier, true);
        continue;
      }
      StoredMessage stored = new StoredMessage(room, ++seq, m.sender(), m.text(), m.clientId(), ts);
      if (key != null) {
        known.put(key, stored);
      }
      fresh.add(stored);
      results[index] = new Appended(stored, false);
    }
    return seq;
  }

  /** Sets the counters of the rooms that got messages, in one statement. */
  private void updateLastSeqs(Map<String, Long> lastSeqs) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE_LAST_SEQS)) {
      update.setArray(1, SqlArrays.varchars(connection, lastSeqs.keySet()));
      update.setArray(2, SqlArrays.bigints(connection, lastSeqs.values().toArray(new Long[0])));
      update.executeUpdate();
    }
  }

  /**
   * Creates the rows of rooms this process has not seen, and commits that on its own: the
   * transaction proper has not started yet, so this commits nothing else.
   */
  private void createUnknownRooms(Set<String> rooms) throws SQLException {
    List<String> unknown = new ArrayList<>();
    for (String room : rooms) {
      if (!knownRooms.contains(room)) {
        unknown.add(room);
      }
    }
    if (unknown.isEmpty()) {
      return;
    }
    try (PreparedStatement create = connection.prepareStatement(CREATE_ROOM)) {
      for (String room : unknown) { // name order: concurrent creators wait for each other in order
        create.setString(1, room);
        create.addBatch();
      }
      create.executeBatch();
    }
    connection.commit();
    knownRooms.addAll(unknown);
  }

  /** Locks the rows of all the rooms, in name order, and returns their last seqs. */
  private Map<String, Long> lockRooms(Set<String> rooms) throws SQLException {
    Map<String, Long> lastSeqs = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(LOCK_ROOMS)) {
      select.setArray(1, SqlArrays.varchars(connection, rooms));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          lastSeqs.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    for (String room : rooms) {
      if (!lastSeqs.containsKey(room)) {
        // the row went away under us (a schema reset): forget what we knew and let the caller retry
        knownRooms.clear();
        throw new SQLException("room '" + room + "' has no row", RETRY_STATE);
      }
    }
    return lastSeqs;
  }

  /** The stored messages whose (room, sender, client id) the batch repeats. */
  private Map<Key, StoredMessage> storedClientIds() throws SQLException {
    Set<Key> keys = new LinkedHashSet<>();
    for (NewMessage m : batch) {
      if (m.clientId() != null) {
        keys.add(new Key(m.room(), m.sender(), m.clientId()));
      }
    }
    return DuplicateLookup.find(connection, List.copyOf(keys));
  }
}
