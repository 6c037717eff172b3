package io.parley.client;

import java.time.Duration;

/**
 * Hears about a {@link ParleyClient}'s connection state. Every method has a no-op default; a
 * client calls them on its event thread (one of {@code parley-client-events-N}), in order, never on a
 * network thread. Exactly one terminal event ({@link #onClosed()} or {@link #onFailed}) ends the
 * sequence.
 */
public interface ConnectionListener {
  /** A no-op listener. */
  ConnectionListener NONE = new ConnectionListener() {};

  /** The first connection is being opened. */
  default void onConnecting() {}

  /**
   * Connected and ready: said hello and, after a reconnect, rejoined every room and delivered
   * what was missed.
   *
   * @param user the user name the server knows this client by
   */
  default void onOpen(String user) {}

  /**
   * The connection dropped (or an attempt failed) and attempt number {@code attempt} is
   * scheduled after {@code delay}.
   *
   * @param cause why the previous connection or attempt ended; a {@link
   *     ConnectionClosedException} carries the close code
   */
  default void onReconnecting(int attempt, Duration delay, Throwable cause) {}

  /** Terminal: {@link ParleyClient#close()} was called. */
  default void onClosed() {}

  /** Terminal: gave up (see {@link ConnectionState#FAILED}). */
  default void onFailed(Throwable cause) {}
}
