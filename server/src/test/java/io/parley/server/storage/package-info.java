/**
 * End-to-end storage tests: a real server on the embedded H2 store and on PostgreSQL, driven over
 * real sockets exactly as the wire contract ({@code PROTOCOL.md}) says. Each {@code *Tests} class
 * holds the tests; its {@code *EmbeddedTest} and {@code *PostgresTest} subclasses pick the store
 * (the PostgreSQL ones are skipped with a message when no database answers, unless
 * {@code PARLEY_REQUIRE_PG=1}). {@link io.parley.server.storage.RpcSocket} is the pipelining,
 * recording client they share.
 */
package io.parley.server.storage;
