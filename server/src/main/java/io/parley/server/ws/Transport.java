package io.parley.server.ws;

import java.util.function.Consumer;

/** What {@link Outbound} needs from a socket; a seam so the queue can be tested without Jetty. */
public interface Transport {

  /** Starts writing one text frame; exactly one of the callbacks runs when it is done. */
  void sendText(String text, Runnable onSent, Consumer<Throwable> onFailed);

  /** Closes with a WebSocket close code and a short reason. */
  void close(int code, String reason);

  /** Sends a WebSocket ping; the peer's pong (or any frame) proves it is alive. */
  default void ping() {}

  /** Drops the connection without the closing handshake: for a peer that stopped answering. */
  default void disconnect() {
    close(io.parley.protocol.CloseCodes.GOING_AWAY, "no answer to pings");
  }
}
