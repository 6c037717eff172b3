package io.parley.server.chat;

import io.parley.protocol.types.Message;
import java.util.List;

/**
 * The seam between "a message is committed" and "deliver it to sessions". On one node it is a
 * direct call ({@link LocalBroker}); a clustered broker also carries messages, presence and
 * broadcasts to and from the other nodes. {@link #publish} is called in commit order, one room's
 * messages in seq order. The room hooks are called with the room's registry entry locked, so
 * they must not block.
 */
public interface Broker extends AutoCloseable {

  /** A message was committed on this node: deliver it here and to the other nodes. */
  void publish(Message message);

  /** Messages committed together, in commit order: the default publishes them one by one. */
  default void publishAll(List<Message> messages) {
    for (Message message : messages) {
      publish(message);
    }
  }

  /** Queues a broadcast notification to every session; returns how many sessions it reached here. */
  int broadcast(String notification);

  /** The room got its first member on this node. */
  default void roomActive(String room) {}

  /** The room's last member on this node left. */
  default void roomIdle(String room) {}

  /**
   * Returns once messages of the room committed elsewhere are flowing to this node, so a store
   * read that follows misses nothing. Called on a blocking thread.
   */
  default void awaitRoomFeed(String room) {}

  /** A join read the room's store up to {@code lastSeq}: messages after it are live. */
  default void roomRead(String room, long lastSeq) {}

  /** A session of {@code user} on this node joined ({@code true}) or left a room. */
  default void presence(String room, String user, boolean joined) {}

  /** Users in the room on other nodes. */
  default List<String> remoteUsers(String room) {
    return List.of();
  }

  /** False while the broker cannot reach the other nodes. */
  default boolean isHealthy() {
    return true;
  }

  @Override
  default void close() {}
}
