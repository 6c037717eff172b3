/**
 * The JDBC implementation of {@link io.parley.sql.MessageStore}: connection pool, schema
 * migration, the append transaction and the read queries. Not an API: anything here may change.
 *
 * <p>One implementation serves PostgreSQL and H2 (in PostgreSQL mode) with the same SQL;
 * {@link io.parley.sql.internal.Dialect} holds the few settings that differ.
 */
package io.parley.sql.internal;
