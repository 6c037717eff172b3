package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
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

  private final Selector selector;
  private final List<WsConnection> connections = new ArrayList<>();

  EventLoop() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens {@code count} connections to {@code url}, one after the other. */
  List<WsConnection> connect(URI url, int count, WsConnection.Handler handler) throws IOException {
    List<WsConnection> opened = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      WsConnection c = WsConnection.open(url, connections.size());
      c.register(c.channelRegister(selector), handler);
      connections.add(c);
      opened.add(c);
    }
    return opened;
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
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
