package io.parley.server.chat;

import io.parley.protocol.types.Message;

/**
 * The seam between "a message is committed" and "deliver it to sessions". On one node it is a
 * direct call ({@link LocalBroker}); a clustered broker publishes to the other nodes as well.
 * Called in commit order, one room's messages in seq order.
 */
public interface Broker extends AutoCloseable {

  /** A message was committed: deliver its notification to the room's members. */
  void publish(Message message);

  /** Queues a broadcast notification to every session; returns how many it reached here. */
  int broadcast(String notification);

  @Override
  default void close() {}
}
