package io.parley.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Opens {@link Link}s; one per client. {@link JettyTransport} is the real one, tests use fakes. */
public interface Transport {
  /**
   * Opens a WebSocket to {@code uri}. The future completes when the upgrade succeeded or fails
   * when it did not; cancelling it abandons the attempt.
   */
  CompletableFuture<Link> open(URI uri, Duration timeout, Link.Listener listener);

  /** Releases the transport's threads; does not block the caller. */
  void shutdown();
}
