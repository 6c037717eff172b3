package io.parley.sql.internal;

import io.parley.sql.PresenceLedger;
import io.parley.sql.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PresenceLedger} on the store's read pool (each call holds one connection for one or
 * two short transactions; the write pool is the committer's alone). The statements of a change are
 * {@link PresenceRows}'; this class owns the transactions and the node leases.
 *
 * <p>Why a lease in the database and not the cluster's heartbeats: node names are random by
 * default, so a restarted node cannot clear what its crashed predecessor held; and when the whole
 * cluster restarts nobody has heard of the dead nodes. The database is the one thing every node of
 * every run shares, and its clock is the one clock they all read.
 *
 * <p>Threading: stateless apart from the pool and the cache of existing key rows; safe for any
 * number of threads.
 */
final class JdbcPresenceLedger implements PresenceLedger {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcPresenceLedger.class);

  private static final String RENEW = "UPDATE presence_nodes SET seen_at = CURRENT_TIMESTAMP WHERE node = ?";
  private static final String CREATE_LEASE =
      "INSERT INTO presence_nodes (node, seen_at) VALUES (?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";
  private static final String NOW = "SELECT CURRENT_TIMESTAMP";
  private static final String SILENT = "SELECT node FROM presence_nodes"
      + " WHERE node <> ? AND seen_at < CAST(? AS TIMESTAMP WITH TIME ZONE) ORDER BY node";
  private static final String LOCK_SILENT = "SELECT node FROM presence_nodes"
      + " WHERE node = ? AND seen_at < CAST(? AS TIMESTAMP WITH TIME ZONE) FOR UPDATE";
  private static final String DROP_LEASE = "DELETE FROM presence_nodes WHERE node = ?";

  private final PooledDatabase database;
  /** Key rows known to exist (they are never deleted). */
  private final KnownRooms knownKeys = new KnownRooms(KnownRooms.DEFAULT_CAPACITY);

  JdbcPresenceLedger(PooledDatabase database) {
    this.database = database;
  }

  @Override
  public Applied apply(String node, List<Change> changes) {
    try (Connection c = database.reads().getConnection()) {
      PresenceRows.createKeys(c, keysOf(changes), knownKeys);
      c.setAutoCommit(false);
      try {
        boolean lost = !renewOrCreate(c, node);
        List<Written> written = PresenceRows.play(c, node, changes);
        c.commit();
        return new Applied(written, lost);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      knownKeys.clear(); // in case the rows went away under us (a restored database): the retry creates them
      throw failed("recording " + changes.size() + " presence change(s) of node " + node, e);
    }
  }

  @Override
  public List<Written> reconcile(String node, Set<Key> present, Instant at) {
    try (Connection c = database.reads().getConnection()) {
      PresenceRows.createKeys(c, present, knownKeys);
      c.setAutoCommit(false);
      try {
        renewOrCreate(c, node);
        List<Written> written = PresenceRows.play(c, node,
            PresenceRows.difference(PresenceRows.heldBy(c, node), present, at));
        c.commit();
        return written;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      knownKeys.clear();
      throw failed("reconciling the presence of node " + node, e);
    }
  }

  @Override
  public boolean renew(String node) {
    try (Connection c = database.reads().getConnection(); PreparedStatement s = c.prepareStatement(RENEW)) {
      s.setString(1, node);
      return s.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failed("renewing the presence lease of node " + node, e);
    }
  }

  @Override
  public List<Written> removeSilent(String self, Duration lease, Instant at) {
    List<Written> written = new ArrayList<>();
    try (Connection c = database.reads().getConnection()) {
      OffsetDateTime cutoff = now(c).minus(lease);
      for (String dead : silent(c, self, cutoff)) {
        c.setAutoCommit(false);
        try {
          written.addAll(removeIfSilent(c, dead, cutoff, at));
          c.commit();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      }
      return written;
    } catch (SQLException e) {
      throw failed("removing silent presence nodes", e);
    }
  }

  @Override
  public List<Written> leave(String node, Instant at) {
    try (Connection c = database.reads().getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Written> written = dropNode(c, node, at);
        c.commit();
        return written;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failed("removing the presence of node " + node, e);
    }
  }

  /** Renews the node's lease in the transaction (locking its row first); false if it had none. */
  private static boolean renewOrCreate(Connection c, String node) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RENEW)) {
      s.setString(1, node);
      if (s.executeUpdate() > 0) {
        return true;
      }
    }
    try (PreparedStatement s = c.prepareStatement(CREATE_LEASE)) {
      s.setString(1, node);
      s.executeUpdate();
    }
    return false;
  }

  private List<Written> removeIfSilent(Connection c, String dead, OffsetDateTime cutoff, Instant at)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOCK_SILENT)) {
      s.setString(1, dead);
      s.setObject(2, cutoff);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return List.of(); // renewed meanwhile, or another node removed it
        }
      }
    }
    List<Written> written = dropNode(c, dead, at);
    LOG.info("presence: node {} was silent for longer than the lease; removed what it held ({} event(s))", dead,
        written.size());
    return written;
  }

  /** Deletes the node's lease (locking it) and holdings, writing the events of keys it held last. */
  private static List<Written> dropNode(Connection c, String node, Instant at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DROP_LEASE)) {
      s.setString(1, node);
      s.executeUpdate();
    }
    return PresenceRows.play(c, node, PresenceRows.difference(PresenceRows.heldBy(c, node), Set.of(), at));
  }

  private static OffsetDateTime now(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(NOW); ResultSet r = s.executeQuery()) {
      r.next();
      return r.getObject(1, OffsetDateTime.class);
    }
  }

  private static List<String> silent(Connection c, String self, OffsetDateTime cutoff) throws SQLException {
    List<String> nodes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(SILENT)) {
      s.setString(1, self);
      s.setObject(2, cutoff);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          nodes.add(r.getString(1));
        }
      }
    }
    return nodes;
  }

  private static Set<Key> keysOf(List<Change> changes) {
    Set<Key> keys = new HashSet<>();
    for (Change change : changes) {
      keys.add(change.key());
    }
    return keys;
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed on " + database.description() + ": " + SqlFailures.describe(e), e);
  }
}
