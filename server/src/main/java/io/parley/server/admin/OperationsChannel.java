package io.parley.server.admin;

import java.util.function.Consumer;

/**
 * What the operations pages of the nodes say to each other: each node's per-second figures (one
 * JSON text per node and second), so that any node's page shows the cluster, and an operator's
 * request that a node disconnect one of its sessions. On NATS in a cluster; {@link #ALONE} on a
 * single node. Sends run on the caller's thread (the sampler's, a page request's); what is heard
 * arrives on the transport's thread. Best effort: a second lost is a gap in a plot.
 */
public interface OperationsChannel extends AutoCloseable {
  /** A single node: nothing to tell, nobody to hear. */
  OperationsChannel ALONE = new OperationsChannel() {
    @Override
    public void publish(String figures) {}

    @Override
    public void onHeard(Consumer<String> figures, Consumer<String> disconnect) {}

    @Override
    public void askToDisconnect(String node, String session) {}
  };

  void publish(String figures);

  /**
   * Sets who hears the other nodes' figures (our own are not echoed back) and the sessions of this
   * node that an operator on another node's page asked to disconnect; once, before the first publish.
   */
  void onHeard(Consumer<String> figures, Consumer<String> disconnect);

  /** Asks {@code node} to disconnect its session {@code session}; nothing tells whether it did. */
  void askToDisconnect(String node, String session);

  @Override
  default void close() {}
}
