package io.parley.client.internal;

import io.parley.client.Registration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of events (a room's messages, its presence changes, broadcasts), handed to plain
 * listeners and to {@link Flow.Subscriber}s on the event thread, in the order published.
 *
 * <p>Until the first listener or subscriber attaches, up to {@code capacity} items are kept (the
 * oldest dropped past that) and given to that first one, so an application that joins and then
 * subscribes misses nothing. Each subscriber has its own {@link StreamSubscription} buffer for
 * what it has not requested yet (see there for the overflow policy).
 *
 * <p>Threads: {@link #publish}, {@link #complete} and {@link #fail} are called by the core thread;
 * {@link #subscribe} and {@link #listen} by anyone. All of them only post to the event thread,
 * which alone touches the fields below.
 */
public final class EventStream<T> implements Flow.Publisher<T> {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final Events events;
  private final int capacity;
  private final String name;
  private final List<Listener<T>> listeners = new ArrayList<>();
  private final List<StreamSubscription<T>> subscriptions = new ArrayList<>();
  private ArrayDeque<T> retained = new ArrayDeque<>();
  private boolean ended;
  private boolean warned;
  private Throwable failure;

  public EventStream(Events events, int capacity, String name) {
    this.events = events;
    this.capacity = capacity;
    this.name = name;
  }

  private static final class Listener<T> {
    final Consumer<? super T> consumer;
    volatile boolean active = true;

    Listener(Consumer<? super T> consumer) {
      this.consumer = consumer;
    }
  }

  public void publish(T item) {
    events.post(() -> dispatch(item));
  }

  private void dispatch(T item) {
    if (ended) {
      return;
    }
    if (retained != null) {
      if (retained.size() == capacity) {
        retained.pollFirst();
        if (!warned) {
          warned = true;
          LOG.warn("{}: nobody has subscribed and {} items are kept; dropping the oldest from now on", name, capacity);
        }
      }
      retained.addLast(item);
      return;
    }
    for (Listener<T> listener : List.copyOf(listeners)) {
      deliver(listener, item);
    }
    for (StreamSubscription<T> subscription : List.copyOf(subscriptions)) {
      subscription.offer(item);
    }
  }

  private void deliver(Listener<T> listener, T item) {
    if (!listener.active) {
      return;
    }
    try {
      listener.consumer.accept(item);
    } catch (RuntimeException e) {
      LOG.warn("{}: a listener threw; ignored", name, e);
    }
  }

  /** Adds a listener; {@link Registration#close()} removes it. */
  public Registration listen(Consumer<? super T> consumer) {
    Listener<T> listener = new Listener<>(Objects.requireNonNull(consumer, "listener"));
    events.post(() -> {
      if (ended) {
        return;
      }
      listeners.add(listener);
      for (T item : takeRetained()) {
        deliver(listener, item);
      }
    });
    return () -> {
      listener.active = false;
      events.post(() -> listeners.remove(listener));
    };
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    events.post(() -> {
      StreamSubscription<T> subscription = new StreamSubscription<>(this, subscriber, events, capacity);
      subscriber.onSubscribe(subscription);
      if (failure != null) {
        subscription.fail(failure);
      } else if (ended) {
        subscription.completeWhenDrained();
      } else {
        subscriptions.add(subscription);
        for (T item : takeRetained()) {
          subscription.offer(item);
        }
      }
    });
  }

  private List<T> takeRetained() {
    if (retained == null) {
      return List.of();
    }
    List<T> items = new ArrayList<>(retained);
    retained = null;
    return items;
  }

  /** Ends the stream normally: subscribers get what they have buffered, then {@code onComplete}. */
  public void complete() {
    events.post(() -> end(null));
  }

  /** Ends the stream with {@code cause}: subscribers get {@code onError} at once. */
  public void fail(Throwable cause) {
    events.post(() -> end(cause));
  }

  private void end(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    failure = cause;
    retained = null;
    listeners.clear();
    for (StreamSubscription<T> subscription : List.copyOf(subscriptions)) {
      if (cause == null) {
        subscription.completeWhenDrained();
      } else {
        subscription.fail(cause);
      }
    }
  }

  void remove(StreamSubscription<T> subscription) {
    subscriptions.remove(subscription);
  }
}
