package io.parley.server.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.server.hub.Occupancy;
import io.parley.server.ws.UserPresence;
import io.parley.sql.PresenceLedger;
import io.parley.sql.PresenceLedger.Applied;
import io.parley.sql.PresenceLedger.Change;
import io.parley.sql.PresenceLedger.Key;
import io.parley.sql.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records this node's presence (rooms with a member here, users with a session here) in the shared
 * {@link PresenceLedger}, which writes the webhook events {@code room.occupied} / {@code
 * room.vacated} and {@code user.online} / {@code user.offline} when a room or user changes between
 * present nowhere and present somewhere in the cluster. Runs only when webhooks are on.
 *
 * <p>The hub and the session registry tell it of their changes ({@link Occupancy}, {@link
 * UserPresence}) under their own locks; it only queues them. One thread, {@value #THREAD_NAME},
 * writes the queue to the ledger in batches, in the order the changes came, so a quick join, leave
 * and join of one room are written as such and not reordered. It also keeps this node's lease in
 * the ledger alive every {@link #RENEW_EVERY} and removes the nodes whose lease is older than
 * {@link #LEASE} (crashed ones), as if their members and sessions had left.
 *
 * <p>Failures: a batch the database refused stays queued and is tried again after {@link
 * #STORE_RETRY}. When the node lost its lease (taken for dead during a long outage) or its queue
 * passed {@link #MAX_QUEUED}, it reconciles instead: the ledger is made to hold exactly what this
 * node has now, and changes that came and went meanwhile write no events.
 *
 * <p>Start: the first thing written is a reconcile, which clears what a previous run under the same
 * node id left. Stop ({@link #close}): the queue is written, then the node's holdings are removed
 * (events where it was the last holder), within {@link #CLOSE_WAIT}; what is left then is removed
 * by the other nodes (or the next start) once its lease runs out.
 *
 * <p>Threading: {@link #occupied} and the others from any thread (they take this object's queue
 * lock briefly and never block on I/O); all ledger calls on {@value #THREAD_NAME}.
 */
public final class PresenceRecorder implements Occupancy, UserPresence, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceRecorder.class);

  static final String THREAD_NAME = "parley-presence";
  /** Most changes in one transaction. */
  static final int BATCH = 500;
  /** How often the node renews its lease and looks for dead nodes. */
  static final Duration RENEW_EVERY = Duration.ofSeconds(3);
  /** A node whose lease was not renewed for this long is taken for dead. */
  static final Duration LEASE = Duration.ofSeconds(15);
  /** Wait after the database failed, before trying again. */
  static final Duration STORE_RETRY = Duration.ofSeconds(1);
  /** Past this many queued changes (the database down for long), the node reconciles instead. */
  static final int MAX_QUEUED = 100_000;
  /** How long {@link #close} gives the queue and the node's removal. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final PresenceLedger ledger;
  private final String node;
  private final Clock clock;
  private final Thread thread;

  private final Object lock = new Object();
  // Guarded by lock:
  private final ArrayDeque<Change> queue = new ArrayDeque<>();
  /** What this node has now: the queue's changes applied. */
  private final Set<Key> present = new HashSet<>();
  /** Bumped when the queue is dropped (an overflow, or a reconcile's snapshot), so a batch in flight is not taken off it twice. */
  private long generation;
  private boolean reconcile = true;
  private boolean closing;
  private long closeDeadlineNanos;

  private long nextRenewNanos = System.nanoTime();
  private long lastWarnNanos;

  public PresenceRecorder(PresenceLedger ledger, String node, Clock clock, MeterRegistry registry) {
    this.ledger = ledger;
    this.node = node;
    this.clock = clock;
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
    Gauge.builder("parley.webhooks.presence.pending", this, PresenceRecorder::pending)
        .description("presence changes of this node not yet written to the database (room.* / user.* webhooks)")
        .register(registry);
  }

  /** Changes queued and not yet written. */
  int pending() {
    synchronized (lock) {
      return queue.size();
    }
  }

  public void start() {
    thread.start();
  }

  @Override
  public void occupied(String room) {
    changed(Key.room(room), true);
  }

  @Override
  public void vacated(String room) {
    changed(Key.room(room), false);
  }

  @Override
  public void online(String user) {
    changed(Key.user(user), true);
  }

  @Override
  public void offline(String user) {
    changed(Key.user(user), false);
  }

  private void changed(Key key, boolean now) {
    synchronized (lock) {
      if (now) {
        present.add(key);
      } else {
        present.remove(key);
      }
      if (queue.size() >= MAX_QUEUED) {
        if (!reconcile) {
          LOG.warn("presence: {} changes wait for the database; dropping them and reconciling once it answers",
              queue.size());
        }
        queue.clear();
        generation++;
        reconcile = true;
      } else {
        queue.add(new Change(key, now, clock.instant()));
      }
      lock.notifyAll();
    }
  }

  /** What the thread does next, taken under the lock. */
  private record Work(Set<Key> reconcileTo, List<Change> batch, long generation, boolean renew, boolean stop) {}

  private void run() {
    while (true) {
      Work work = next();
      if (work.stop()) {
        break;
      }
      try {
        if (work.reconcileTo() != null) {
          List<PresenceLedger.Written> written = ledger.reconcile(node, work.reconcileTo(), clock.instant());
          synchronized (lock) {
            // Unless the queue overflowed again meanwhile: then its dropped changes are not in
            // this snapshot, and another reconcile is due.
            if (generation == work.generation()) {
              reconcile = false;
            }
          }
          if (!written.isEmpty()) {
            LOG.info("presence: node {} reconciled with the {} room(s) and user(s) it has: {} event(s) written", node,
                work.reconcileTo().size(), written.size());
          }
        } else if (!work.batch().isEmpty()) {
          Applied applied = ledger.apply(node, work.batch());
          taken(work);
          if (applied.leaseLost()) {
            synchronized (lock) {
              reconcile = true;
            }
          }
        }
        if (work.renew()) {
          renew();
        }
      } catch (StoreException e) {
        warn(e);
        pause(STORE_RETRY);
      } catch (RuntimeException e) {
        LOG.error("presence recorder failed; going on after a pause", e);
        pause(STORE_RETRY);
      }
    }
    leave();
  }

  /** Waits for something to do, and takes it. */
  private Work next() {
    synchronized (lock) {
      while (true) {
        boolean renew = System.nanoTime() - nextRenewNanos >= 0 && !closing;
        if (closing && System.nanoTime() - closeDeadlineNanos >= 0) {
          return new Work(null, List.of(), generation, false, true);
        }
        if (reconcile) {
          // The snapshot holds every queued change already: drop them (replayed after it, a
          // queued leave and join would write a spurious vacated/occupied pair), and bump the
          // generation so a batch in flight is not taken off the new queue.
          queue.clear();
          generation++;
          return new Work(Set.copyOf(present), List.of(), generation, renew, false);
        }
        if (!queue.isEmpty()) {
          List<Change> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
          Iterator<Change> it = queue.iterator();
          while (it.hasNext() && batch.size() < BATCH) {
            batch.add(it.next());
          }
          return new Work(null, batch, generation, renew, false);
        }
        if (closing) {
          return new Work(null, List.of(), generation, false, true);
        }
        if (renew) {
          return new Work(null, List.of(), generation, true, false);
        }
        long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextRenewNanos - System.nanoTime()));
        try {
          lock.wait(waitMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Work(null, List.of(), generation, false, true);
        }
      }
    }
  }

  /** Takes a written batch off the queue, unless the queue was dropped meanwhile. */
  private void taken(Work work) {
    synchronized (lock) {
      if (generation == work.generation()) {
        for (int i = 0; i < work.batch().size(); i++) {
          queue.poll();
        }
      }
    }
  }

  private void renew() {
    nextRenewNanos = System.nanoTime() + RENEW_EVERY.toNanos();
    if (!ledger.renew(node)) {
      LOG.warn("presence: node {} had lost its lease (taken for dead); reconciling", node);
      synchronized (lock) {
        reconcile = true;
      }
    }
    ledger.removeSilent(node, LEASE, clock.instant());
  }

  /** A clean stop: removes this node's holdings, writing the events of what it held last. */
  private void leave() {
    try {
      List<PresenceLedger.Written> written = ledger.leave(node, clock.instant());
      LOG.debug("presence: node {} left ({} event(s) written)", node, written.size());
    } catch (RuntimeException e) {
      LOG.warn("presence: node {} could not remove its holdings ({}); other nodes remove them after {} s", node,
          e.getMessage(), LEASE.toSeconds());
    }
  }

  private void warn(StoreException e) {
    long now = System.nanoTime();
    if (lastWarnNanos == 0 || now - lastWarnNanos > TimeUnit.SECONDS.toNanos(10)) {
      lastWarnNanos = now;
      LOG.warn("presence: the database failed, retrying: {}", e.getMessage());
    }
  }

  /** Waits, but no longer than a close allows. */
  private void pause(Duration d) {
    synchronized (lock) {
      long end = System.nanoTime() + d.toNanos();
      while (true) {
        long left = closing ? Math.min(end, closeDeadlineNanos) - System.nanoTime() : end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Writes what is queued, then removes this node's holdings, within {@link #CLOSE_WAIT}; call it
   * after the sessions have departed. Idempotent. The thread is woken, not interrupted: an interrupt
   * inside the embedded H2 store's file I/O would close the database's file under the other threads.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      closeDeadlineNanos = System.nanoTime() + CLOSE_WAIT.toNanos();
      lock.notifyAll();
    }
    if (!thread.isAlive()) {
      return;
    }
    try {
      thread.join(CLOSE_WAIT.toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("presence recorder did not stop within {} s", CLOSE_WAIT.toSeconds() + 1);
    }
  }
}
