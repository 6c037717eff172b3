package io.parley.client.internal;

/**
 * One open WebSocket connection, as the core sees it. {@link #send} queues a text frame (one in
 * flight at a time); {@link #close} starts the closing handshake; both may be called from any
 * thread and never block.
 */
public interface Link {
  void send(String text);

  void ping();

  void close(int code, String reason);

  /** What a link reports, on transport threads; {@link #onClosed} comes at most once. */
  interface Listener {
    void onText(String text);

    void onClosed(int code, String reason);
  }
}
