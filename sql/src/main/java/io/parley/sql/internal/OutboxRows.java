package io.parley.sql.internal;

import io.parley.sql.StoredMessage;
import io.parley.sql.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes the webhook outbox rows of an append, in the append's transaction: one {@code
 * message.stored} per new message, in one statement. The rows name the message by (room, seq); the
 * sender reads it when it sends. {@code ORDER BY seq} makes the ids of a room's rows grow with its
 * seq, and the room's row lock, held by the append, makes them grow across appends too.
 */
final class OutboxRows {

  private static final String INSERT_STORED = "INSERT INTO webhook_outbox"
      + " (event_id, type, order_key, room, seq, created_at, next_attempt_at)"
      + " SELECT v.event_id, '" + WebhookOutbox.MESSAGE_STORED + "', v.room, v.room, v.seq,"
      + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE)"
      + " FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY))"
      + " AS v (event_id, room, seq) ORDER BY v.room, v.seq";

  private OutboxRows() {}

  /** Writes one message.stored row per message of {@code fresh}, all created at {@code ts}. */
  static void insertStored(Connection connection, List<StoredMessage> fresh, Instant ts) throws SQLException {
    int n = fresh.size();
    String[] eventIds = new String[n];
    String[] rooms = new String[n];
    Long[] seqs = new Long[n];
    for (int i = 0; i < n; i++) {
      StoredMessage m = fresh.get(i);
      eventIds[i] = UUID.randomUUID().toString();
      rooms[i] = m.room();
      seqs[i] = m.seq();
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_STORED)) {
      insert.setObject(1, MessageRows.utc(ts));
      insert.setObject(2, MessageRows.utc(ts));
      insert.setArray(3, SqlArrays.varchars(connection, eventIds));
      insert.setArray(4, SqlArrays.varchars(connection, rooms));
      insert.setArray(5, SqlArrays.bigints(connection, seqs));
      insert.executeUpdate();
    }
  }
}
