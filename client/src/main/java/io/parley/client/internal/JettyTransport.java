package io.parley.client.internal;

import io.parley.client.internal.jetty.JettyLink;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.common.ExtensionConfigParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one adapter to Jetty's WebSocket client. It owns a {@link WebSocketClient} with daemon
 * threads named {@code parley-client-jetty*}, started on the first {@link #open} and stopped by
 * {@link #shutdown()} on a short-lived thread of its own (stopping Jetty from one of its threads,
 * or from the core thread, could wait on itself). With compression on, each upgrade offers
 * permessage-deflate, Jetty's own extension, and Jetty compresses and inflates once the server
 * accepts.
 */
final class JettyTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(JettyTransport.class);
  /**
   * Built here rather than parsed by Jetty from a string: that parse finds its parser with a
   * {@code ServiceLoader} through the thread's context class loader, which in a module layer of the
   * application's own (a plugin host, {@code ModulePathIT}) is not the SDK's and finds none.
   */
  private static final ExtensionConfig PERMESSAGE_DEFLATE = new ExtensionConfigParser().parse("permessage-deflate");

  private final WebSocketClient client;
  private final ReadGate gate;
  private final boolean compression;

  /** {@code compression}: offer permessage-deflate on every upgrade. */
  JettyTransport(ReadGate gate, boolean compression) {
    this.gate = gate;
    this.compression = compression;
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("parley-client-jetty");
    threads.setDaemon(true);
    HttpClient http = new HttpClient();
    http.setExecutor(threads);
    http.setScheduler(new ScheduledExecutorScheduler("parley-client-jetty-timer", true));
    this.client = new WebSocketClient(http);
    client.setMaxTextMessageSize(ClientConfig.MAX_INCOMING_MESSAGE);
    client.setIdleTimeout(Duration.ofMinutes(10));
  }

  @Override
  public CompletableFuture<Link> open(URI uri, Duration timeout, Link.Listener listener) {
    try {
      synchronized (this) {
        if (!client.isStarted()) {
          client.setConnectTimeout(timeout.toMillis());
          client.start();
        }
      }
      JettyLink link = new JettyLink(listener, gate);
      ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
      request.setTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (compression) {
        request.addExtensions(PERMESSAGE_DEFLATE);
      }
      return client.connect(link, request).thenApply(session -> link);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void shutdown() {
    Thread stopper = new Thread(() -> {
      try {
        client.stop();
      } catch (Exception e) {
        LOG.debug("jetty websocket client did not stop cleanly: {}", e.toString());
      }
    }, "parley-client-stop");
    stopper.setDaemon(true);
    stopper.start();
  }
}
