package io.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;

/**
 * One connector's connections ({@code jetty_connections_*}, the names of Micrometer's
 * {@code JettyConnectionMetrics}): current, the most over a rolling 2 minutes, lifetimes, and
 * the HTTP messages they carried.
 *
 * <p>Why not Micrometer's binder: it files every open connection in one map under one lock and
 * looks its timer up through a builder at every close. A WebSocket opens and closes two Jetty
 * connections (the HTTP one it upgrades from, then its own), so a crowd connecting at once queued
 * on that lock; profiles of connection bursts showed it among the busiest monitors. Here an open
 * or close is a counter update, and the lifetime comes from the connection's own creation time.
 *
 * <p>Thread-safe: Jetty calls it from any of its threads.
 */
final class ConnectionMetrics implements Connection.Listener {
  private static final DistributionStatisticConfig ROLLING_TWO_MINUTES = DistributionStatisticConfig.builder()
      .expiry(Duration.ofMinutes(2)).bufferLength(2).build();

  private final AtomicInteger current = new AtomicInteger();
  private final TimeWindowMax max;
  private final Timer lifetimes;
  private final Counter messagesIn;
  private final Counter messagesOut;

  private ConnectionMetrics(MeterRegistry registry, Tags tags) {
    this.max = new TimeWindowMax(registry.config().clock(), ROLLING_TWO_MINUTES);
    Gauge.builder("jetty.connections.current", current, AtomicInteger::get).strongReference(true)
        .baseUnit("connections").description("The current number of open Jetty connections").tags(tags)
        .register(registry);
    Gauge.builder("jetty.connections.max", max, TimeWindowMax::poll).strongReference(true)
        .baseUnit("connections").description("The maximum number of observed connections over a rolling 2-minute interval")
        .tags(tags).register(registry);
    this.lifetimes = Timer.builder("jetty.connections.request").description("Jetty client or server requests")
        .tag("type", "server").tags(tags).register(registry);
    this.messagesIn = Counter.builder("jetty.connections.messages.in").baseUnit("messages")
        .description("Messages received by tracked connections").tags(tags).register(registry);
    this.messagesOut = Counter.builder("jetty.connections.messages.out").baseUnit("messages")
        .description("Messages sent by tracked connections").tags(tags).register(registry);
  }

  /** Counts {@code connector}'s connections, tagged {@code connector.name}. Call before the connector starts. */
  static void addTo(Connector connector, MeterRegistry registry) {
    String name = connector.getName() == null ? "unnamed" : connector.getName();
    connector.addBean(new ConnectionMetrics(registry, Tags.of("connector.name", name)));
  }

  @Override
  public void onOpened(Connection connection) {
    max.record(current.incrementAndGet());
  }

  @Override
  public void onClosed(Connection connection) {
    current.decrementAndGet();
    long lived = System.currentTimeMillis() - connection.getCreatedTimeStamp();
    lifetimes.record(Math.max(0, lived), TimeUnit.MILLISECONDS);
    messagesIn.increment(connection.getMessagesIn());
    messagesOut.increment(connection.getMessagesOut());
  }
}
