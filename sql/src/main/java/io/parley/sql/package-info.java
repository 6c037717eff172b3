/**
 * The durable message store of Parley: what the server calls to append chat messages and to
 * read them back by sequence number.
 *
 * <p>The public surface is deliberately small: {@link io.parley.sql.MessageStore} (the
 * contract), its value records, {@link io.parley.sql.StoreSettings},
 * {@link io.parley.sql.Stores} (the one way to open a store) and
 * {@link io.parley.sql.StoreException}. The JDBC implementation lives in
 * {@code io.parley.sql.internal} and may change without notice. The schema is kept as Flyway
 * migrations under {@code db/migration}, shared by PostgreSQL and embedded H2.
 *
 * <p>This module knows nothing of the wire protocol or the server.
 */
package io.parley.sql;
