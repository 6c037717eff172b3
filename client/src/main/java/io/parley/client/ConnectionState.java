package io.parley.client;

/**
 * Where a {@link ParleyClient}'s connection is in its life. Moves forward only, except that an
 * {@link #OPEN} client goes to {@link #RECONNECTING} when its connection drops and back to
 * {@link #OPEN} once it has recovered. {@link #CLOSED} and {@link #FAILED} are terminal.
 */
public enum ConnectionState {
  /** Built, {@code connect()} not called yet. */
  NEW,
  /** The first connection is being opened (upgrade, then {@code session.hello}). */
  CONNECTING,
  /** Connected, said hello, and (after a reconnect) rejoined every room; calls flow. */
  OPEN,
  /** The connection dropped; waiting for the next attempt or recovering. Calls wait. */
  RECONNECTING,
  /** Closed by {@link ParleyClient#close()}. Terminal. */
  CLOSED,
  /** Gave up: the first connection failed, reconnect attempts ran out, or the server refused us. Terminal. */
  FAILED
}
