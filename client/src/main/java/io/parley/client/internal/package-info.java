/**
 * The implementation of the Parley SDK; not an API, may change at any time.
 *
 * <p>{@link io.parley.client.internal.RealParleyClient} is the facade; {@link
 * io.parley.client.internal.Connector} owns the connection's life (connect, hello, reconnect with
 * {@link io.parley.client.internal.Backoff}, recovery); {@link io.parley.client.internal.CallQueue}
 * holds the calls, waiting and in flight, keyed by id; {@link io.parley.client.internal.RoomState}
 * keeps each room's seq run whole; {@link io.parley.client.internal.EventStream} hands events to
 * listeners and Flow subscribers on the event thread; {@link io.parley.client.internal.JettyTransport}
 * is the one adapter to Jetty. The threads are described in the module's {@code CONCURRENCY.md}.
 */
package io.parley.client.internal;
