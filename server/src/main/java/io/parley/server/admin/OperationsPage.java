package io.parley.server.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.server.hub.Hub;
import io.parley.server.ws.SessionRegistry;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;

/**
 * The operations page of one node, assembled: the sampler (started here, one sample a second from
 * now on), the figures of the cluster, the event streams and the {@code /admin} routes. The node
 * puts {@link #routesBefore} in front of its other routes and closes this before its broker.
 */
public final class OperationsPage implements AutoCloseable {
  private final AdminAccess access;
  private final ClusterFigures figures;
  private final EventStream stream = new EventStream();
  private final Sampler sampler;
  private final OperationsChannel channel;
  private final Disconnects disconnects;
  private boolean closed;

  /**
   * @param storeDown whether storage is down as the committer finds it
   * @param adminToken {@code PARLEY_ADMIN_TOKEN}, or {@code null} (loopback clients only)
   * @param channel how this node hears the others ({@link OperationsChannel#ALONE} for a single node)
   */
  public OperationsPage(String nodeId, MeterRegistry registry, BooleanSupplier storeDown, Hub hub,
      SessionRegistry sessions, String adminToken, OperationsChannel channel) {
    this.access = new AdminAccess(adminToken, java.time.Clock.systemUTC());
    this.figures = new ClusterFigures(nodeId, System::currentTimeMillis);
    this.channel = channel;
    this.sampler = new Sampler(new MeterReadings(registry, storeDown), new Tables(nodeId, hub, sessions), figures,
        channel, stream, System::currentTimeMillis);
    this.disconnects = new Disconnects(sessions, figures, channel);
    channel.onHeard(figures::heard, disconnects::askedByAnotherNode);
    sampler.start();
  }

  /** {@code /admin...} answered here, everything else by {@code next}. */
  public Handler routesBefore(Handler next) {
    return new AdminRoutes(next, access, figures, stream, disconnects);
  }

  /** Stops sampling and ends the open streams (so that Jetty's stop does not wait on them); idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sampler.close();
    stream.close();
    channel.close();
  }
}
