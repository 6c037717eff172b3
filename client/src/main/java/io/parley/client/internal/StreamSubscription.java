package io.parley.client.internal;

import io.parley.client.StreamOverflowException;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's place in an {@link EventStream}: its demand and a buffer of at most {@code
 * capacity} items it has not requested yet. <b>Overflow policy:</b> an item that would make the
 * buffer hold more than {@code capacity} cancels the subscription and signals {@code onError} with
 * {@link StreamOverflowException} at once; the buffered items are dropped. Nothing is ever dropped
 * silently, and a slow subscriber never slows the others or the connection.
 *
 * <p>{@link #request} and {@link #cancel} may be called from any thread (also from inside {@code
 * onNext}); they post to the event thread, which alone touches the state, so signals are serial
 * and recursion is bounded.
 */
final class StreamSubscription<T> implements Flow.Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSubscription.class);

  private final EventStream<T> stream;
  private final Flow.Subscriber<? super T> subscriber;
  private final Events events;
  private final int capacity;
  private final ArrayDeque<T> buffer = new ArrayDeque<>();
  private long demand;
  private boolean completing;
  private volatile boolean done;

  StreamSubscription(EventStream<T> stream, Flow.Subscriber<? super T> subscriber, Events events, int capacity) {
    this.stream = stream;
    this.subscriber = subscriber;
    this.events = events;
    this.capacity = capacity;
  }

  @Override
  public void request(long n) {
    events.post(() -> {
      if (done) {
        return;
      }
      if (n <= 0) {
        fail(new IllegalArgumentException("Flow rule 3.9: request must be positive, got " + n));
        return;
      }
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      drain();
    });
  }

  @Override
  public void cancel() {
    done = true;
    events.post(() -> stream.remove(this));
  }

  void offer(T item) {
    if (done) {
      return;
    }
    if (buffer.size() >= capacity && demand == 0) {
      fail(new StreamOverflowException(capacity));
      return;
    }
    buffer.addLast(item);
    drain();
  }

  private void drain() {
    while (!done && demand > 0 && !buffer.isEmpty()) {
      demand--;
      T item = buffer.pollFirst();
      try {
        subscriber.onNext(item);
      } catch (RuntimeException e) {
        LOG.warn("a subscriber's onNext threw; cancelling it (Flow rule 2.13)", e);
        done = true;
        stream.remove(this);
      }
    }
    if (completing && !done && buffer.isEmpty()) {
      finish(null);
    }
  }

  void completeWhenDrained() {
    completing = true;
    drain();
  }

  void fail(Throwable cause) {
    if (!done) {
      buffer.clear();
      finish(cause);
    }
  }

  private void finish(Throwable cause) {
    done = true;
    stream.remove(this);
    try {
      if (cause == null) {
        subscriber.onComplete();
      } else {
        subscriber.onError(cause);
      }
    } catch (RuntimeException e) {
      LOG.warn("a subscriber's terminal signal threw; ignored", e);
    }
  }
}
