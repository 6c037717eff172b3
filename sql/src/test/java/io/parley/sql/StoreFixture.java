package io.parley.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the contract tests ({@code *Contract} interfaces) need from a database under test, and
 * the helpers they share. Implemented once per database by {@link AbstractStoreTest}'s
 * subclasses, which then run every contract against that database.
 */
interface StoreFixture {

  /** The instant of the fixed clock every store under test uses (note the nanoseconds). */
  Instant NOW = Instant.parse("2026-11-22T10:15:30.123456789Z");

  /** The instant stored messages must carry: {@link #NOW} truncated to milliseconds. */
  Instant NOW_MILLIS = Instant.parse("2026-11-22T10:15:30.123Z");

  /** The store of the current test, fresh and empty. */
  MessageStore store();

  /** Closes the current store and opens a new one on the same data; returns it. */
  MessageStore reopen();

  /** Closes the current store and opens a new one on the same data with {@code clock}; returns it. */
  MessageStore reopen(java.time.Clock clock);

  /** A direct connection to the store's database and schema, for injecting faults. */
  Connection rawConnection() throws SQLException;

  default NewMessage msg(String room, String sender, String text) {
    return new NewMessage(room, sender, text, null);
  }

  default NewMessage msg(String room, String sender, String text, String clientId) {
    return new NewMessage(room, sender, text, clientId);
  }

  default Appended appendOne(NewMessage message) {
    List<Appended> result = store().append(List.of(message));
    return result.get(0);
  }

  /** Appends {@code count} messages "m1".."m{count}" to {@code room} in one batch. */
  default List<StoredMessage> fill(String room, int count) {
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      batch.add(msg(room, "alice", "m" + i));
    }
    return store().append(batch).stream().map(Appended::message).toList();
  }

  static List<Long> seqs(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }

  static List<Long> range(long firstInclusive, long lastInclusive) {
    List<Long> result = new ArrayList<>();
    for (long i = firstInclusive; i <= lastInclusive; i++) {
      result.add(i);
    }
    return result;
  }
}
