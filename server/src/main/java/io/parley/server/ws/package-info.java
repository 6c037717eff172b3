/**
 * WebSocket sessions: the Jetty endpoint at {@code /ws}, the per-session bounded outbound queue
 * and the registry of open sessions. See {@code server/CONCURRENCY.md} for the threading rules.
 */
package io.parley.server.ws;
