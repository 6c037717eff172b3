package io.parley.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What clients share instead of each bringing its own: the core thread {@code parley-client-core}
 * (every client's internal state and timers, each client's tasks in order), a small pool of event
 * threads {@code parley-client-events-N} (each client gets an {@link EventLane} on it, so one slow
 * application callback delays only its own client), and one Jetty WebSocket client ({@link
 * JettyTransport}). All threads are daemons and start on first use.
 *
 * <p>Counted by users: each client holds one use from {@link #acquire()} until it is closed, and
 * an application's own {@code ClientResources} one more until it closes them. When the count falls
 * to zero the threads end; resources ended cannot be used again. The JVM-wide {@link
 * #acquireDefault() default} is created on first use and replaced by a new one after it ends.
 * Thread-safe.
 */
public final class SharedResources {
  /** Event threads of the default resources: a few slow callbacks do not stall the rest. */
  public static final int DEFAULT_EVENT_THREADS = 4;
  private static final long IDLE_EVENT_THREAD_SECONDS = 30;
  private static final Object DEFAULT_LOCK = new Object();
  private static SharedResources defaultResources; // guarded by DEFAULT_LOCK

  private final ScheduledThreadPoolExecutor core = CoreScheduler.newCoreThread();
  private final ThreadPoolExecutor events;
  private final JettyTransport jetty = new JettyTransport();
  private int users; // guarded by this
  private boolean ended; // guarded by this

  private SharedResources(int eventThreads, int users) {
    AtomicInteger count = new AtomicInteger();
    this.events = new ThreadPoolExecutor(eventThreads, eventThreads, IDLE_EVENT_THREAD_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "parley-client-events-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    events.allowCoreThreadTimeOut(true);
    this.users = users;
  }

  /** New resources with {@code eventThreads} event threads, held once by their creator. */
  public static SharedResources create(int eventThreads) {
    if (eventThreads < 1) {
      throw new IllegalArgumentException("eventThreads: expected at least 1, got " + eventThreads);
    }
    return new SharedResources(eventThreads, 1);
  }

  /** One use of the JVM-wide default resources, created if there are none or they ended. */
  public static SharedResources acquireDefault() {
    synchronized (DEFAULT_LOCK) {
      if (defaultResources == null || !defaultResources.acquire()) {
        defaultResources = new SharedResources(DEFAULT_EVENT_THREADS, 1);
      }
      return defaultResources;
    }
  }

  /** One more use; {@code false} (and nothing taken) when these resources have ended. */
  public synchronized boolean acquire() {
    if (ended) {
      return false;
    }
    users++;
    return true;
  }

  /** Gives back one use; the last one ends the threads (queued work still runs). */
  public void release() {
    synchronized (this) {
      if (ended || --users > 0) {
        return;
      }
      ended = true;
    }
    core.shutdown();
    events.shutdown();
    jetty.stop();
  }

  /** A scheduler on the shared core thread for one client. */
  Scheduler newScheduler() {
    return new CoreScheduler(core);
  }

  /** An event lane on the shared event threads for one client. */
  EventLane newEventLane() {
    return new EventLane(events);
  }

  /**
   * A transport for one client: its links read behind {@code gate}; its {@code shutdown()} gives
   * back the client's use of these resources (once).
   */
  Transport newTransport(ReadGate gate, boolean compression) {
    AtomicBoolean released = new AtomicBoolean();
    return new Transport() {
      @Override
      public CompletableFuture<Link> open(URI uri, Duration timeout, Link.Listener listener) {
        return jetty.open(uri, timeout, listener, gate, compression);
      }

      @Override
      public void shutdown() {
        if (released.compareAndSet(false, true)) {
          release();
        }
      }
    };
  }
}
