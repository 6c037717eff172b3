package io.parley.server.cluster;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.parley.server.admin.FigureShare;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations page's figures on NATS: each node publishes its second on
 * {@link Subjects#ADMIN_FIGURES} and hears everyone else's (the connection does not echo a
 * node's own). Best effort, like the figures themselves: a second lost while NATS is away is a
 * gap in another node's plot. Publishes on the sampler's thread; hears on its own dispatcher's.
 */
final class NatsFigureShare implements FigureShare {
  private static final Logger LOG = LoggerFactory.getLogger(NatsFigureShare.class);

  private final Connection nats;
  private volatile Dispatcher dispatcher;

  NatsFigureShare(Connection nats) {
    this.nats = nats;
  }

  @Override
  public void publish(String figures) {
    try {
      nats.publish(Subjects.ADMIN_FIGURES, figures.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalStateException e) {
      LOG.debug("operations figures not published: {}", e.getMessage());
    }
  }

  @Override
  public void onHeard(Consumer<String> listener) {
    Dispatcher d = nats.createDispatcher(msg -> listener.accept(new String(msg.getData(), StandardCharsets.UTF_8)));
    d.subscribe(Subjects.ADMIN_FIGURES);
    dispatcher = d;
  }

  @Override
  public void close() {
    Dispatcher d = dispatcher;
    if (d != null && nats.getStatus() != Connection.Status.CLOSED) {
      nats.closeDispatcher(d);
    }
  }
}
