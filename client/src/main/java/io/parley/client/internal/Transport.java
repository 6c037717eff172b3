package io.parley.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Opens {@link Link}s for one client. The real one is {@link SharedResources#newTransport} over the
 * shared {@link JettyTransport}; tests use fakes.
 */
public interface Transport {
  /**
   * Opens a WebSocket to {@code uri}. The future completes when the upgrade succeeded or fails
   * when it did not; cancelling it abandons the attempt.
   */
  CompletableFuture<Link> open(URI uri, Duration timeout, Link.Listener listener);

  /** The client is done with it: gives back its use of the shared threads; does not block. */
  void shutdown();
}
