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
 * The one adapter to Jetty's WebSocket client, shared by every client of a {@link
 * SharedResources}. It owns a {@link WebSocketClient} whose daemon threads are named {@code
 * parley-client-jetty-*} (at most four: one selector, workers created as needed and ended
 * after a while idle), started on the first {@link #open} and stopped by {@link #stop()} on a
 * short-lived thread of its own (stopping Jetty from one of its threads, or from the core thread,
 * could wait on itself). With compression on, an upgrade offers permessage-deflate, Jetty's own
 * extension, and Jetty compresses and inflates once the server accepts. Each client's timeouts
 * bound its own attempts (the upgrade request's timeout and the connector's timer), so Jetty's
 * client-wide connect timeout is only a generous backstop.
 */
final class JettyTransport {
  private static final Logger LOG = LoggerFactory.getLogger(JettyTransport.class);
  /**
   * Built here rather than parsed by Jetty from a string: that parse finds its parser with a
   * {@code ServiceLoader} through the thread's context class loader, which in a module layer of the
   * application's own (a plugin host, {@code ModulePathIT}) is not the SDK's and finds none.
   */
  private static final ExtensionConfig PERMESSAGE_DEFLATE = new ExtensionConfigParser().parse("permessage-deflate");
  /** A selector and three workers: reads and writes never block, so tasks queue rather than wait. */
  private static final int MAX_THREADS = 4;
  private static final int MIN_THREADS = 1;
  private static final int IDLE_THREAD_MILLIS = 30_000;
  private static final Duration BACKSTOP_CONNECT_TIMEOUT = Duration.ofMinutes(5);

  private final WebSocketClient client;

  JettyTransport() {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, IDLE_THREAD_MILLIS);
    threads.setName("parley-client-jetty");
    threads.setDaemon(true);
    threads.setReservedThreads(0); // no threads parked in advance: a chat client is not a server
    HttpClient http = new HttpClient();
    http.setExecutor(threads);
    http.setScheduler(new ScheduledExecutorScheduler("parley-client-jetty-timer", true));
    this.client = new WebSocketClient(http);
    client.setMaxTextMessageSize(ClientConfig.MAX_INCOMING_MESSAGE);
    client.setIdleTimeout(Duration.ofMinutes(10));
    client.setConnectTimeout(BACKSTOP_CONNECT_TIMEOUT.toMillis());
  }

  /**
   * Opens a WebSocket whose reads follow {@code gate}; {@code compression} offers permessage-deflate.
   */
  CompletableFuture<Link> open(URI uri, Duration timeout, Link.Listener listener, ReadGate gate,
      boolean compression) {
    try {
      synchronized (this) {
        if (!client.isStarted()) {
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

  /** Stops Jetty's client and its threads, without blocking the caller. */
  void stop() {
    Thread stopper = new Thread(() -> {
      try {
        synchronized (this) {
          client.stop();
        }
      } catch (Exception e) {
        LOG.debug("jetty websocket client did not stop cleanly: {}", e.toString());
      }
    }, "parley-client-stop");
    stopper.setDaemon(true);
    stopper.start();
  }
}
