package io.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionListener;
import io.parley.protocol.types.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

/**
 * Records what a client delivers: a {@link Flow.Subscriber} of a room's messages that requests in
 * small batches (so backpressure is exercised), and a {@link ConnectionListener} that keeps the
 * state events. Waits poll with a deadline and fail with what was seen.
 */
final class Recorder implements Flow.Subscriber<Message>, ConnectionListener {
  static final Duration WAIT = Duration.ofSeconds(20);

  final List<Message> messages = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  private volatile Flow.Subscription subscription;
  private volatile Throwable error;
  private volatile boolean complete;
  private int sinceRequest;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(16);
  }

  @Override
  public void onNext(Message item) {
    messages.add(item);
    if (threads.isEmpty()) {
      threads.add(Thread.currentThread().getName());
    }
    if (++sinceRequest == 16) {
      sinceRequest = 0;
      subscription.request(16);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    error = throwable;
  }

  @Override
  public void onComplete() {
    complete = true;
  }

  @Override
  public void onConnecting() {
    events.add("connecting");
  }

  @Override
  public void onOpen(String user) {
    events.add("open " + user);
  }

  @Override
  public void onReconnecting(int attempt, Duration delay, Throwable cause) {
    events.add("reconnecting " + attempt);
    if (cause instanceof ConnectionClosedException closed) {
      closeCodes.add(closed.code());
    }
  }

  @Override
  public void onClosed() {
    events.add("closed");
  }

  @Override
  public void onFailed(Throwable cause) {
    events.add("failed " + cause);
  }

  boolean isComplete() {
    return complete;
  }

  Throwable error() {
    return error;
  }

  long opens() {
    return events.stream().filter(e -> e.startsWith("open")).count();
  }

  List<Long> seqs() {
    List<Long> seqs = new ArrayList<>();
    messages.forEach(m -> seqs.add(m.seq()));
    return seqs;
  }

  void awaitMessages(int count) {
    await(() -> messages.size() >= count, () -> "expected " + count + " messages, got " + messages.size()
        + " (last seq " + (messages.isEmpty() ? "none" : messages.get(messages.size() - 1).seq()) + "), events " + events);
  }

  /** Exactly seq 1..n, in order, each once. */
  void assertSeqRun(long n) {
    assertThat(seqs()).as("seq run seen by the subscriber").containsExactlyElementsOf(
        LongStream.rangeClosed(1, n).boxed().toList());
  }

  static void await(BooleanSupplier condition, java.util.function.Supplier<String> why) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out: " + why.get());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
