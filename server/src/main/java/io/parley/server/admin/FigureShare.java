package io.parley.server.admin;

import java.util.function.Consumer;

/**
 * How nodes tell each other their per-second figures (one JSON text per node and second), so
 * that any node's page shows the cluster. On NATS in a cluster; {@link #ALONE} on a single node.
 * {@link #publish} runs on the sampler's thread; what is heard arrives on the transport's thread.
 */
public interface FigureShare extends AutoCloseable {
  /** A single node: nothing to tell, nobody to hear. */
  FigureShare ALONE = new FigureShare() {
    @Override
    public void publish(String figures) {}

    @Override
    public void onHeard(Consumer<String> listener) {}
  };

  void publish(String figures);

  /** Sets who hears the other nodes' figures (our own are not echoed back); once, before the first publish. */
  void onHeard(Consumer<String> listener);

  @Override
  default void close() {}
}
