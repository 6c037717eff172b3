package io.parley.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DeliveryRounds: order is kept, and what is committed while a round runs goes out as one round. */
@Timeout(20)
class DeliveryRoundsTest {

  private static Message message(long seq) {
    return new Message("r", seq, "u", "t" + seq, "2026-01-01T00:00:00.000Z", null);
  }

  /** Records rounds; the first round blocks until released. */
  private static final class Recorder implements BiConsumer<List<Message>, List<RoomChange>> {
    final List<String> order = new ArrayList<>();
    final List<List<Long>> rounds = new ArrayList<>();
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch releaseFirst = new CountDownLatch(1);
    final CountDownLatch done;

    Recorder(int expectedMessages) {
      done = new CountDownLatch(expectedMessages);
    }

    @Override
    public void accept(List<Message> messages, List<RoomChange> changes) {
      synchronized (rounds) {
        rounds.add(messages.stream().map(Message::seq).toList());
        messages.forEach(m -> order.add("m" + m.seq()));
        changes.forEach(c -> order.add("c" + c.rev()));
      }
      firstStarted.countDown();
      try {
        releaseFirst.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      messages.forEach(m -> done.countDown());
    }
  }

  @Test
  void messagesCommittedDuringARoundGoOutTogetherInOrder() throws Exception {
    Recorder broker = new Recorder(6);
    DeliveryRounds rounds = new DeliveryRounds(broker, null);
    rounds.submit(List.of(message(1)));
    assertThat(broker.firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
    rounds.submit(List.of(message(2), message(3)));
    rounds.submit(List.of(message(4)));
    rounds.submit(List.of(message(5), message(6)));
    broker.releaseFirst.countDown();
    assertThat(broker.done.await(5, TimeUnit.SECONDS)).isTrue();
    rounds.close(TimeUnit.SECONDS.toNanos(5));
    assertThat(broker.rounds).containsExactly(List.of(1L), List.of(2L, 3L, 4L, 5L, 6L));
  }

  @Test
  void aRoundDeliversItsMessagesBeforeItsChanges() throws Exception {
    Recorder broker = new Recorder(3);
    DeliveryRounds rounds = new DeliveryRounds(broker, null);
    rounds.submit(List.of(message(1)));
    assertThat(broker.firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
    rounds.submit(List.of(message(2)));
    rounds.submitChanges(List.of(change(1, 2)));
    rounds.submit(List.of(message(3)));
    rounds.submitChanges(List.of(change(2, 3)));
    broker.releaseFirst.countDown();
    assertThat(broker.done.await(5, TimeUnit.SECONDS)).isTrue();
    rounds.close(TimeUnit.SECONDS.toNanos(5));
    assertThat(broker.order).containsExactly("m1", "m2", "m3", "c1", "c2");
  }

  private static RoomChange change(long rev, long seq) {
    return new RoomChange(Change.delete("r", rev, seq, "u", "2026-01-01T00:00:00.000Z"), null);
  }

  @Test
  void closeRunsWhatIsScheduled() throws Exception {
    Recorder broker = new Recorder(3);
    broker.releaseFirst.countDown();
    DeliveryRounds rounds = new DeliveryRounds(broker, null);
    rounds.submit(List.of(message(1), message(2)));
    rounds.submit(List.of(message(3)));
    rounds.close(TimeUnit.SECONDS.toNanos(5));
    assertThat(broker.done.getCount()).isZero();
    assertThat(broker.rounds.stream().flatMap(List::stream).toList()).containsExactly(1L, 2L, 3L);
  }
}
