/**
 * The Parley Java SDK: an asynchronous JSON-RPC 2.0 over WebSocket client for the Parley chat
 * server. Start at {@link io.parley.client.ParleyClient#builder()}.
 *
 * <p>This package is the whole public API: the client, its builder, the handle of a joined room,
 * the connection listener, the shared {@link io.parley.client.ClientResources} and the few failures
 * a call can end in, all {@link io.parley.client.ParleyException}s. Everything else lives in
 * {@code io.parley.client.internal} and may change at any time. The wire records (messages,
 * results) are the protocol module's ({@code io.parley.protocol.types}), so a message looks the
 * same to a client and to the server.
 */
package io.parley.client;
