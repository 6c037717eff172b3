package io.parley.sql.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Builds the SQL array parameters that let one statement carry a whole batch: {@code UNNEST} of
 * a few arrays, one per column, instead of one set of parameters per row.
 *
 * <p>Why arrays: a JDBC batch of single-row statements (even rewritten by the PostgreSQL driver
 * into multi-row {@code VALUES}) binds, encodes and ships six parameters per message and
 * prepares one statement per batch size; an array per column is one parameter, the statement
 * text never changes (so both databases keep it prepared), and the parameter count no longer
 * limits how many rows one statement may take. The SQL that reads them, {@code UNNEST(CAST(? AS
 * VARCHAR ARRAY), ...)}, runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
 *
 * <p>Threading: stateless; the arrays belong to the caller's connection.
 */
final class SqlArrays {

  private SqlArrays() {}

  /** A {@code VARCHAR ARRAY} parameter; elements may be null. */
  static Array varchars(Connection connection, Collection<String> values) throws SQLException {
    return connection.createArrayOf("varchar", values.toArray(new String[0]));
  }

  /** A {@code VARCHAR ARRAY} parameter; elements may be null. */
  static Array varchars(Connection connection, String[] values) throws SQLException {
    return connection.createArrayOf("varchar", values);
  }

  /** A {@code BIGINT ARRAY} parameter. */
  static Array bigints(Connection connection, Long[] values) throws SQLException {
    return connection.createArrayOf("bigint", values);
  }
}
