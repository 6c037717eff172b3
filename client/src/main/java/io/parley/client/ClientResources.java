package io.parley.client;

import io.parley.client.internal.SharedResources;

/**
 * Threads and a WebSocket client that several {@link ParleyClient}s share: one core thread for
 * their internal state and timers ({@code parley-client-core}), a few event threads for
 * application callbacks ({@code parley-client-events-N}) and Jetty's I/O threads ({@code
 * parley-client-jetty-*}), all daemons, started on first use.
 *
 * <p>You rarely need one: by default every client of the JVM shares a set created on first use
 * and ended when its last client closes. Create your own to keep a group of clients apart from the
 * rest (say, with more event threads), and pass it to {@link ParleyClientBuilder#resources}.
 *
 * <p>Each client still gets its own ordered event sequence: a callback that blocks holds one event
 * thread and delays that client's events only, as long as fewer callbacks block than there are
 * event threads. {@link #close()} takes no new clients; the threads end once every client built on
 * these resources is closed as well. Thread-safe.
 */
public final class ClientResources implements AutoCloseable {
  private final SharedResources shared;
  private volatile boolean closed;

  private ClientResources(SharedResources shared) {
    this.shared = shared;
  }

  /** Resources with the default number of event threads (4). */
  public static ClientResources create() {
    return create(SharedResources.DEFAULT_EVENT_THREADS);
  }

  /**
   * Resources with {@code eventThreads} event threads: how many clients' callbacks can run (or
   * block) at once.
   *
   * @throws IllegalArgumentException when {@code eventThreads} is less than 1
   */
  public static ClientResources create(int eventThreads) {
    return new ClientResources(SharedResources.create(eventThreads));
  }

  /**
   * One use of the shared resources for a new client.
   *
   * @throws IllegalStateException when these resources are closed
   */
  SharedResources acquire() {
    if (closed || !shared.acquire()) {
      throw new IllegalStateException("these ClientResources are closed: build the client with open ones");
    }
    return shared;
  }

  /**
   * Takes no new clients; the threads end when the clients using them are closed too (at once if
   * there are none). Idempotent; does not block.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    shared.release();
  }
}
