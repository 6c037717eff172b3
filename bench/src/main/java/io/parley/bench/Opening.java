package io.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Opens many connections on one {@link EventLoop} with at most {@code concurrency} handshakes in
 * flight: a new connect starts as soon as an earlier one has its 101 (or failed), so the server
 * sees a steady stream of upgrades rather than one at a time or a thundering herd.
 *
 * <p>Handshake latency runs from the start of the TCP connect to the complete 101 response.
 * Everything happens on the event-loop thread; an instance is used for one batch only.
 */
final class Opening implements WsConnection.Upgrade {
  /** What one batch of connects gave: open connections in start order, failures, timing. */
  record Report(List<WsConnection> opened, long failures, String firstError, Histogram handshakeMicros,
      double seconds) {}

  private static final long MAX_MICROS = 60_000_000L;

  private final URI url;
  private final int count;
  private final int concurrency;
  private final WsConnection.Handler handler;
  private final List<WsConnection> started;
  private final Histogram handshake = new Histogram(MAX_MICROS, 3);
  private int inFlight;
  private int done;
  private long failures;
  private String firstError;

  Opening(URI url, int count, int concurrency, WsConnection.Handler handler) {
    this.url = url;
    this.count = count;
    this.concurrency = concurrency;
    this.handler = handler;
    this.started = new ArrayList<>(count);
  }

  /** Starts what the concurrency allows; the event loop calls this before every wait. */
  long startMore(Selector selector, int firstIndex) {
    while (inFlight < concurrency && started.size() < count) {
      inFlight++;
      try {
        started.add(WsConnection.start(url, firstIndex + started.size(), selector, handler, this));
      } catch (IOException e) {
        started.add(null);
        onFailure(null, e);
      }
    }
    return Long.MAX_VALUE;
  }

  boolean finished() {
    return done == count;
  }

  /** Fails every handshake still pending (the batch ran out of time). */
  void abandon() {
    for (WsConnection c : started) {
      if (c != null && !c.isOpen() && !c.isClosed()) {
        c.fail(new IOException("no 101 from " + url + " before the connect deadline"));
      }
    }
    failures += count - started.size();
  }

  Report report(double seconds) {
    List<WsConnection> open = new ArrayList<>(started.size());
    for (WsConnection c : started) {
      if (c != null && c.isOpen()) {
        open.add(c);
      }
    }
    return new Report(open, failures, firstError, handshake, seconds);
  }

  @Override
  public void onOpen(WsConnection c) {
    inFlight--;
    done++;
    handshake.recordValue(Math.min(MAX_MICROS, c.handshakeNanos() / 1000));
  }

  @Override
  public void onFailure(WsConnection c, IOException e) {
    inFlight--;
    done++;
    failures++;
    if (firstError == null) {
      firstError = String.valueOf(e.getMessage());
    }
  }
}
