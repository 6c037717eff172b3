package io.parley.sql.internal;

import io.parley.sql.ChangeKind;
import io.parley.sql.ChangeOutcome;
import io.parley.sql.ChangeOutcome.Status;
import io.parley.sql.ChangeRequest;
import io.parley.sql.StoreException;
import io.parley.sql.StoredChange;
import io.parley.sql.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores changes to messages (contract 1.1: edits, deletions, reactions), one transaction each.
 *
 * <p>Why the room's row lock: the change takes {@code rooms.last_rev} with {@code SELECT ... FOR
 * UPDATE}, the row appends lock for {@code last_seq}, so changes of one room (and its appends) queue
 * there, in this process and in others, and each rev is handed out once, in commit order, without
 * a gap. The checks (author, deleted, bounds, "already so") read the message under that lock, so
 * two racing changes cannot both pass a check that only one may.
 *
 * <p>Uses the read pool, as read positions do: the write pool's connections belong to the group
 * commit. Stateless apart from the pool; safe for any number of threads.
 */
final class MessageChanges {
  private static final Logger LOG = LoggerFactory.getLogger(MessageChanges.class);

  private static final String LOCK_ROOM = "SELECT last_rev FROM rooms WHERE name = ? FOR UPDATE";
  private static final String MESSAGE = "SELECT sender, text, deleted, edits FROM messages WHERE room = ? AND seq = ?";
  private static final String EDIT =
      "UPDATE messages SET text = ?, edited_at = ?, edits = edits + 1 WHERE room = ? AND seq = ?";
  private static final String DELETE =
      "UPDATE messages SET text = '', deleted = TRUE, reactions = 0 WHERE room = ? AND seq = ?";
  private static final String DROP_REACTIONS = "DELETE FROM reactions WHERE room = ? AND seq = ?";
  private static final String WIPE_EDITS =
      "UPDATE message_changes SET text = '' WHERE room = ? AND seq = ? AND kind = 'edit'";
  private static final String HAS_REACTION =
      "SELECT COUNT(*) FROM reactions WHERE room = ? AND seq = ? AND emoji = ? AND user_name = ?";
  private static final String EMOJI_IN_USE =
      "SELECT COUNT(DISTINCT emoji), SUM(CASE WHEN emoji = ? THEN 1 ELSE 0 END) FROM reactions"
          + " WHERE room = ? AND seq = ?";
  private static final String ADD_REACTION =
      "INSERT INTO reactions (room, seq, emoji, user_name, rev) VALUES (?, ?, ?, ?, ?)";
  private static final String REMOVE_REACTION =
      "DELETE FROM reactions WHERE room = ? AND seq = ? AND emoji = ? AND user_name = ?";
  private static final String COUNT_REACTIONS = "UPDATE messages SET reactions = reactions + ? WHERE room = ? AND seq = ?";
  private static final String SET_REV = "UPDATE rooms SET last_rev = ? WHERE name = ?";
  private static final String LOG_CHANGE = "INSERT INTO message_changes"
      + " (room, rev, seq, kind, user_name, ts, text, emoji, on_flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String OUTBOX = "INSERT INTO webhook_outbox"
      + " (event_id, type, order_key, room, seq, rev, created_at, next_attempt_at)"
      + " VALUES (?, '" + WebhookOutbox.MESSAGE_CHANGED + "', ?, ?, ?, ?, ?, ?)";

  private final PooledDatabase database;
  private final boolean webhookOutbox;

  MessageChanges(PooledDatabase database, boolean webhookOutbox) {
    this.database = database;
    this.webhookOutbox = webhookOutbox;
  }

  ChangeOutcome apply(ChangeRequest request, Instant now) {
    try {
      return applyOnce(request, now);
    } catch (SQLException first) {
      if (!SqlFailures.isRetryable(first)) {
        throw failed(request, first);
      }
      LOG.debug("change of {} #{} raced with another writer ({}); retrying once", request.room(), request.seq(),
          SqlFailures.describe(first));
      try {
        return applyOnce(request, now);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw failed(request, second);
      }
    }
  }

  private ChangeOutcome applyOnce(ChangeRequest request, Instant now) throws SQLException {
    try (Connection c = database.reads().getConnection()) {
      c.setAutoCommit(false);
      try {
        ChangeOutcome outcome = decideAndStore(c, request, now);
        if (outcome.changed()) {
          c.commit();
        } else {
          c.rollback(); // only read, but the room's row lock goes now rather than at the pool's reset
        }
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The message as the checks need it. */
  private record Current(String sender, String text, boolean deleted, int edits) {}

  private ChangeOutcome decideAndStore(Connection c, ChangeRequest r, Instant now) throws SQLException {
    Long lastRev = lockRoom(c, r.room());
    if (lastRev == null) {
      return new ChangeOutcome(Status.NO_SUCH_MESSAGE, 0, null);
    }
    Current m = message(c, r.room(), r.seq());
    if (m == null) {
      return new ChangeOutcome(Status.NO_SUCH_MESSAGE, lastRev, null);
    }
    Status refused = check(c, r, m);
    if (refused != null) {
      return new ChangeOutcome(refused, lastRev, null);
    }
    long rev = lastRev + 1;
    switch (r.kind()) {
      case EDIT -> update(c, EDIT, r.text(), MessageRows.utc(now), r.room(), r.seq());
      case DELETE -> {
        update(c, DELETE, r.room(), r.seq());
        update(c, DROP_REACTIONS, r.room(), r.seq());
        update(c, WIPE_EDITS, r.room(), r.seq());
      }
      case REACT -> {
        if (r.on()) {
          update(c, ADD_REACTION, r.room(), r.seq(), r.emoji(), r.user(), rev);
        } else {
          update(c, REMOVE_REACTION, r.room(), r.seq(), r.emoji(), r.user());
        }
        update(c, COUNT_REACTIONS, r.on() ? 1 : -1, r.room(), r.seq());
      }
      default -> throw new IllegalStateException("unknown change kind " + r.kind());
    }
    StoredChange change = new StoredChange(r.room(), rev, r.seq(), r.kind(), r.user(), now,
        r.kind() == ChangeKind.EDIT ? r.text() : null, r.kind() == ChangeKind.REACT ? r.emoji() : null,
        r.kind() == ChangeKind.REACT ? r.on() : null);
    update(c, SET_REV, rev, r.room());
    update(c, LOG_CHANGE, r.room(), rev, r.seq(), r.kind().stored(), r.user(), MessageRows.utc(now), change.text(),
        change.emoji(), change.on());
    if (webhookOutbox) {
      update(c, OUTBOX, UUID.randomUUID().toString(), r.room(), r.room(), r.seq(), rev, MessageRows.utc(now),
          MessageRows.utc(now));
    }
    return new ChangeOutcome(Status.CHANGED, rev, change);
  }

  /** Why the change may not or need not be made, or {@code null} if it is to be made. */
  private static Status check(Connection c, ChangeRequest r, Current m) throws SQLException {
    boolean author = m.sender().equals(r.user());
    switch (r.kind()) {
      case EDIT -> {
        if (m.deleted()) {
          return Status.DELETED;
        }
        if (!author) {
          return Status.NOT_ALLOWED;
        }
        if (m.text().equals(r.text())) {
          return Status.UNCHANGED;
        }
        return m.edits() >= r.maxEdits() ? Status.LIMIT_REACHED : null;
      }
      case DELETE -> {
        if (!author && !r.mayDeleteAny()) {
          return Status.NOT_ALLOWED;
        }
        return m.deleted() ? Status.UNCHANGED : null;
      }
      case REACT -> {
        if (m.deleted()) {
          return Status.DELETED;
        }
        boolean present = count(c, HAS_REACTION, r.room(), r.seq(), r.emoji(), r.user()) > 0;
        if (present == r.on()) {
          return Status.UNCHANGED;
        }
        return r.on() && !roomForEmoji(c, r) ? Status.LIMIT_REACHED : null;
      }
      default -> throw new IllegalStateException("unknown change kind " + r.kind());
    }
  }

  /** Whether the reaction fits: its emoji is already on the message, or a new one is still allowed. */
  private static boolean roomForEmoji(Connection c, ChangeRequest r) throws SQLException {
    try (PreparedStatement s = statement(c, EMOJI_IN_USE, r.emoji(), r.room(), r.seq());
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(2) > 0 || rs.getLong(1) < r.maxEmoji();
    }
  }

  private static Long lockRoom(Connection c, String room) throws SQLException {
    try (PreparedStatement s = statement(c, LOCK_ROOM, room); ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  private static Current message(Connection c, String room, long seq) throws SQLException {
    try (PreparedStatement s = statement(c, MESSAGE, room, seq); ResultSet rs = s.executeQuery()) {
      return rs.next() ? new Current(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4)) : null;
    }
  }

  private static long count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = statement(c, sql, args); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = statement(c, sql, args)) {
      s.executeUpdate();
    }
  }

  private static PreparedStatement statement(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    try {
      s.setQueryTimeout(StoreReads.QUERY_TIMEOUT_S);
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s;
    } catch (SQLException e) {
      s.close();
      throw e;
    }
  }

  private StoreException failed(ChangeRequest r, SQLException e) {
    return new StoreException(r.kind().stored() + " of message " + r.seq() + " in room '" + r.room() + "' failed on "
        + database.description() + ": " + SqlFailures.describe(e), e);
  }
}
