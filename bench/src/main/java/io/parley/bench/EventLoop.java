package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The single thread that owns every connection of a scenario: the scenario's own thread calls
 * {@link #run} and everything (sends, reads, handlers, timing) happens on it, so no state is shared
 * and nothing is locked. Sends due within the next millisecond are waited for with short parks
 * instead of a coarse {@code select(ms)}, so an open-loop schedule keeps its timing.
 */
final class EventLoop implements AutoCloseable {
  /** Called before every wait: sends what is due at {@code now}; returns the next due time or {@link Long#MAX_VALUE}. */
  @FunctionalInterface
  interface Tick {
    long tick(long now);
  }

  /** Generous: a loaded two-core machine can take a minute for 19,000 upgrades. */
  private static final long CONNECT_TIMEOUT_NANOS = 120_000_000_000L;

  private final Selector selector;
  private final List<WsConnection> connections = new ArrayList<>();

  EventLoop() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens {@code count} connections to {@code url} with at most {@code concurrency} handshakes in
   * flight, giving up on the rest after {@code timeoutNanos}; failures are counted, not thrown.
   */
  Opening.Report open(URI url, int count, int concurrency, WsConnection.Handler handler, long timeoutNanos)
      throws IOException {
    Opening opening = new Opening(url, count, concurrency, handler);
    int firstIndex = connections.size();
    long start = System.nanoTime();
    run(start + timeoutNanos, now -> opening.startMore(selector, firstIndex), opening::finished);
    if (!opening.finished()) {
      opening.abandon();
    }
    Opening.Report report = opening.report((System.nanoTime() - start) / 1e9);
    connections.addAll(report.opened());
    return report;
  }

  /** Like {@link #open} but every connection must open: the first failure ends the run. */
  List<WsConnection> connect(URI url, int count, int concurrency, WsConnection.Handler handler) throws IOException {
    Opening.Report r = open(url, count, concurrency, handler, CONNECT_TIMEOUT_NANOS);
    if (r.failures() > 0) {
      throw new IOException(r.failures() + " of " + count + " connections to " + url + " failed; first: "
          + r.firstError());
    }
    return r.opened();
  }

  /** Closes connections this loop opened earlier (normal close frame) and forgets them. */
  void closeAll(List<WsConnection> batch) {
    for (WsConnection c : batch) {
      c.closeNormally();
    }
    connections.removeAll(new HashSet<>(batch));
  }

  /** Runs until {@code until} returns true or {@code deadline} (nanoTime) passes. */
  void run(long deadline, Tick tick, java.util.function.BooleanSupplier until) throws IOException {
    while (!until.getAsBoolean()) {
      long now = System.nanoTime();
      if (now >= deadline) {
        return;
      }
      long due = Math.min(tick.tick(now), deadline);
      long wait = due - System.nanoTime();
      int ready;
      if (wait > 1_000_000L) {
        ready = selector.select(Math.max(1, (wait - 500_000L) / 1_000_000L));
      } else {
        ready = selector.selectNow();
        if (ready == 0 && wait > 0) {
          LockSupport.parkNanos(Math.min(wait, 50_000L));
        }
      }
      if (ready > 0) {
        dispatch();
      }
    }
  }

  private void dispatch() {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey k = it.next();
      it.remove();
      WsConnection c = (WsConnection) k.attachment();
      if (k.isValid() && k.isConnectable()) {
        c.onConnectable();
      }
      if (k.isValid() && k.isWritable()) {
        c.flush();
      }
      if (k.isValid() && k.isReadable()) {
        c.onReadable();
      }
    }
  }

  int closedCount() {
    int n = 0;
    for (WsConnection c : connections) {
      if (c.isClosed()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    for (WsConnection c : connections) {
      c.closeNormally();
    }
    for (SelectionKey k : new ArrayList<>(selector.keys())) {
      // handshakes abandoned mid-way are not in the list; close their sockets too
      ((WsConnection) k.attachment()).close();
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
