package io.parley.server.ws;

import java.nio.ByteBuffer;

/** What {@link Outbound} needs from a socket; a seam so the queue can be tested without Jetty. */
public interface Transport {
  String WEBSOCKET = "websocket";
  String SSE = "sse";

  /** How one write ends: exactly one of the two methods runs, once, on any thread. */
  interface Completion {
    void sent();

    void failed(Throwable failure);
  }

  /**
   * Starts writing one text frame whose payload is {@code utf8}. Writes started one after the
   * other go out in that order; the transport queues those that cannot be written yet. With
   * {@code more} it may hold the frame back to write it together with later ones, until an unheld
   * frame or {@link #flush}.
   */
  void sendText(ByteBuffer utf8, Completion done, boolean more);

  /** Like {@link #sendText}, for a transport that frames the text its own way (an event stream). */
  default void sendFrame(TextFrame frame, Completion done, boolean more) {
    sendText(frame.payload(), done, more);
  }

  /** What the session runs over, for logs and the operator: {@link #WEBSOCKET} or {@link #SSE}. */
  default String kind() {
    return WEBSOCKET;
  }

  /** Writes the frames held back with {@code more}. */
  default void flush() {}

  /** Closes with a WebSocket close code and a short reason. */
  void close(int code, String reason);

  /** Sends a WebSocket ping; the peer's pong (or any frame) proves it is alive. */
  default void ping() {}

  /** Drops the connection without the closing handshake: for a peer that stopped answering. */
  default void disconnect() {
    close(io.parley.protocol.CloseCodes.GOING_AWAY, "no answer to pings");
  }
}
