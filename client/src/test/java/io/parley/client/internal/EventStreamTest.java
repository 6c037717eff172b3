package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.StreamOverflowException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Flow semantics of {@link EventStream} on a hand-run event queue. */
@Timeout(10)
class EventStreamTest {
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private final Executor manual = queue::add;
  private final EventStream<Integer> stream = new EventStream<>(new Events(manual, new ReadGate(1000, 10)), 3, "test");

  private void runAll() {
    while (!queue.isEmpty()) {
      queue.poll().run();
    }
  }

  private static final class Probe implements Flow.Subscriber<Integer> {
    final List<Integer> items = new ArrayList<>();
    Flow.Subscription subscription;
    Throwable error;
    boolean complete;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(Integer item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
      error = throwable;
    }

    @Override
    public void onComplete() {
      complete = true;
    }
  }

  @Test
  void deliversNoMoreThanRequestedAndKeepsTheRestInOrder() {
    Probe probe = new Probe();
    stream.subscribe(probe);
    runAll();
    probe.subscription.request(2);
    for (int i = 1; i <= 4; i++) {
      stream.publish(i);
    }
    runAll();
    assertThat(probe.items).containsExactly(1, 2);
    probe.subscription.request(5);
    runAll();
    assertThat(probe.items).containsExactly(1, 2, 3, 4);
    stream.complete();
    runAll();
    assertThat(probe.complete).isTrue();
  }

  @Test
  void overflowCancelsOnlyTheSlowSubscriber() {
    Probe slow = new Probe();
    Probe fast = new Probe();
    stream.subscribe(slow);
    stream.subscribe(fast);
    runAll();
    fast.subscription.request(Long.MAX_VALUE);
    for (int i = 1; i <= 5; i++) {
      stream.publish(i);
    }
    runAll();
    assertThat(slow.error).isInstanceOf(StreamOverflowException.class);
    assertThat(slow.items).isEmpty();
    assertThat(fast.items).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void itemsBeforeTheFirstSubscriberAreKeptForIt() {
    stream.publish(1);
    stream.publish(2);
    runAll();
    List<Integer> heard = new ArrayList<>();
    stream.listen(heard::add);
    stream.publish(3);
    runAll();
    assertThat(heard).containsExactly(1, 2, 3);
  }

  @Test
  void aNonPositiveRequestIsAnError() {
    Probe probe = new Probe();
    stream.subscribe(probe);
    runAll();
    probe.subscription.request(0);
    runAll();
    assertThat(probe.error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
  }
}
