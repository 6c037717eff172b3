package io.parley.server.metrics;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Makes the node's Prometheus registry with the meters no layer owns: JVM (memory, threads, GC,
 * class loading), process (CPU, uptime, file descriptors), {@code parley.build.info}; and binds
 * Jetty's thread pool and connections and HikariCP's pools once they exist. One per node;
 * called while the node is wired, on one thread.
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * @param version the server's version, for {@code parley_build_info{version=...}}
   * @param nodeId this node's name, a tag of the build info too (one series per node)
   */
  public ServerMetrics(String version, String nodeId) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("parley.build.info", () -> 1)
        .description("always 1; the labels say which build runs: version, Java runtime, node")
        .tags("version", version, "java", Runtime.version().toString(), "node", nodeId)
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Where HikariCP's pools report ({@code hikaricp_*}, tagged by pool name). */
  public MetricsTrackerFactory poolMetrics() {
    return new MicrometerMetricsTrackerFactory(registry);
  }

  /** Jetty's thread pool ({@code jetty_threads_*}) and every connector's connections ({@code jetty_connections_*}). */
  public void bindJetty(Server jetty, ThreadPool threads) {
    new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
    for (Connector connector : jetty.getConnectors()) {
      ConnectionMetrics.addTo(connector, registry);
    }
  }
}
