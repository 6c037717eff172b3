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
 * numbers back. All rooms of the batch are locked by one statement, in name order, so two
 * batches that share rooms queue up instead of deadlocking. Rooms the process has not seen yet
 * are created first, in a transaction of their own, so that the locking statement finds every
 * row (an empty room row is invisible to clients). The duplicate lookup runs after the lock: any
 * other writer of the same rooms has committed by then, so a client id it stored is seen.
 *
 * <p>Round trips per batch, whatever the number of rooms: one lock, one duplicate lookup per
 * {@value DuplicateLookup#CHUNK} (room, sender, client id) keys, one JDBC batch of inserts and one of counter updates; the
 * commit is the caller's. Per room, as before, was one lock and one lookup each: with fifty
 * rooms in a batch that was a hundred round trips.
 *
 * <p>Threading: one instance per transaction, confined to the calling thread. The caller owns
 * the connection and the transaction (commit, rollback, retry); {@code knownRooms} is shared
 * and thread-safe.
 */
final class BatchAppend {

  private static final String CREATE_ROOM =
      "INSERT INTO rooms (name) VALUES (?) ON CONFLICT DO NOTHING";
  private static final String UPDATE_LAST_SEQ = "UPDATE rooms SET last_seq = ? WHERE name = ?";

  /** Rooms locked per statement; a batch has at most as many rooms as messages. */
  static final int LOCK_CHUNK = 500;
  /** Serialization failure: the caller retries the append once. */
  private static final String RETRY_STATE = "40001";

  private final Connection connection;
  private final List<NewMessage> batch;
  private final Instant ts;
  private final KnownRooms knownRooms;
  private final Appended[] results;

  private BatchAppend(Connection connection, List<NewMessage> batch, Instant ts, KnownRooms knownRooms) {
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
   */
  static List<Appended> run(Connection connection, List<NewMessage> batch, Instant ts, KnownRooms knownRooms)
      throws SQLException {
    return new BatchAppend(connection, batch, ts, knownRooms).run();
  }

  private List<Appended> run() throws SQLException {
    Map<String, List<Integer>> byRoom = new TreeMap<>(); // name order = lock order
    for (int i = 0; i < batch.size(); i++) {
      byRoom.computeIfAbsent(batch.get(i).room(), room -> new ArrayList<>()).add(i);
    }
    createUnknownRooms(byRoom.keySet());
    Map<String, Long> lastSeqs = lockRooms(List.copyOf(byRoom.keySet()));
    Map<Key, StoredMessage> known = storedClientIds();
    try (PreparedStatement insert = connection.prepareStatement(MessageRows.INSERT);
        PreparedStatement counters = connection.prepareStatement(UPDATE_LAST_SEQ)) {
      boolean stored = false;
      for (Map.Entry<String, List<Integer>> room : byRoom.entrySet()) {
        stored |= appendToRoom(room.getKey(), lastSeqs.get(room.getKey()), room.getValue(), known, insert, counters);
      }
      if (stored) {
        insert.executeBatch();
        counters.executeBatch();
      }
    }
    return Arrays.asList(results);
  }

  /** Numbers the room's messages and adds them to the batches; true if any is new. */
  private boolean appendToRoom(String room, long firstSeq, List<Integer> indexes, Map<Key, StoredMessage> known,
      PreparedStatement insert, PreparedStatement counters) throws SQLException {
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
  private Map<String, Long> lockRooms(List<String> rooms) throws SQLException {
    Map<String, Long> lastSeqs = new HashMap<>();
    for (int from = 0; from < rooms.size(); from += LOCK_CHUNK) {
      List<String> chunk = rooms.subList(from, Math.min(rooms.size(), from + LOCK_CHUNK));
      String sql = "SELECT name, last_seq FROM rooms WHERE name IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") ORDER BY name FOR UPDATE";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          select.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            lastSeqs.put(rs.getString(1), rs.getLong(2));
          }
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
