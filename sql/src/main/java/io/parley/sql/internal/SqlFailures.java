package io.parley.sql.internal;

import java.sql.SQLException;
import java.util.Set;

/**
 * Reads what went wrong out of a {@link SQLException}, which drivers wrap differently: a failed
 * JDBC batch hides the real error in {@link SQLException#getNextException()}, a pool in the
 * cause.
 */
final class SqlFailures {

  /**
   * SQL states after which running the same transaction again can succeed: a unique violation
   * (another process stored the same client id between our lookup and our insert), a
   * serialization failure and a deadlock.
   */
  private static final Set<String> RETRYABLE = Set.of("23505", "40001", "40P01");

  private SqlFailures() {}

  static boolean isRetryable(SQLException e) {
    String state = specific(e).getSQLState();
    return state != null && RETRYABLE.contains(state);
  }

  /** A one-line account of the failure: SQL state and message of the most specific error. */
  static String describe(SQLException e) {
    SQLException specific = specific(e);
    String state =
        specific.getSQLState() == null ? "" : " [SQL state " + specific.getSQLState() + "]";
    String root = PooledDatabase.rootMessage(specific);
    String message = String.valueOf(specific.getMessage());
    return message + state + (message.contains(root) ? "" : " (caused by: " + root + ")");
  }

  /**
   * Prefers the batch's next exception, whose message names the constraint, over the
   * batch-level one, whose message repeats the statement with all its parameters (chat text).
   */
  private static SQLException specific(SQLException e) {
    SQLException current = e;
    while (current.getNextException() != null && current.getNextException() != current) {
      current = current.getNextException();
    }
    if (current.getSQLState() == null && current.getCause() instanceof SQLException cause) {
      return specific(cause);
    }
    return current;
  }
}
