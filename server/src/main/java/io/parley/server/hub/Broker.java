package io.parley.server.hub;

import io.parley.protocol.types.Message;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publish and subscribe between "committed" and "delivered". Whatever a broker brings to this
 * node, committed here or elsewhere, it hands to the {@link Hub} through {@link Hub#accept} (in seq
 * order per room) and {@link Hub#broadcastHere}: single-node and cluster delivery are the same code
 * after that. {@link LocalBroker} hands over directly; {@code cluster.NatsBroker} carries messages
 * between nodes and sequences them.
 */
public interface Broker extends AutoCloseable {

  /** Messages committed on this node, in commit order: to this node's hub and to every other node's. */
  void publish(List<Message> committed);

  /**
   * Changes committed on this node (contract 1.1), in rev order per room: to this node's hub and to
   * every other node's, where they enter the hub through {@link Hub#acceptChanges} in rev order.
   */
  void publishChanges(List<RoomChange> committed);

  /** A broadcast notification to every session of every node; returns how many it reached here. */
  int broadcast(String notification);

  /** The room got its first member on this node: bring its messages here. Must not block. */
  void subscribe(String room);

  /** The room's last member on this node left. Must not block. */
  void unsubscribe(String room);

  /**
   * Runs a joining member's store read so that it and the messages and changes the broker brings
   * afterwards leave no gap: in a cluster the read waits until the room's messages from other nodes
   * flow here, and the room's feed starts after what it read ({@link Covered}). Runs on a blocking
   * thread.
   */
  <T extends Covered> T readForJoin(String room, Supplier<T> read);

  /** False while the broker cannot reach the other nodes. */
  boolean isHealthy();

  @Override
  void close();
}
