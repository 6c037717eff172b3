package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.CloseCodes;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Outbound: ordered single-flight writes, no recursion on inline completion, the 1013 notification limit, failure and idleness. */
@Timeout(20)
class OutboundTest {

  // --- order and single flight

  @Test
  void framesAreWrittenInOrderWithInlineCompletion() {
    RecordingTransport transport = RecordingTransport.inline();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify("a");
    outbound.reply("b");
    outbound.notify("c");
    assertThat(transport.frames()).containsExactly("a", "b", "c");
    assertThat(transport.maxInFlight()).isEqualTo(1);
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void onlyOneSendIsInFlightAndTheRestFollowInOrder() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify("1");
    outbound.reply("2");
    outbound.notify("3");
    assertThat(transport.frames()).containsExactly("1");
    assertThat(transport.pending()).isEqualTo(1);

    transport.completeNext();
    assertThat(transport.frames()).containsExactly("1", "2");
    assertThat(transport.pending()).isEqualTo(1);

    outbound.notify("4");
    assertThat(transport.frames()).containsExactly("1", "2");

    transport.completeNext();
    transport.completeNext();
    transport.completeNext();
    assertThat(transport.frames()).containsExactly("1", "2", "3", "4");
    assertThat(transport.pending()).isZero();
    assertThat(transport.maxInFlight()).isEqualTo(1);
    assertThat(outbound.isIdle()).isTrue();
  }

  @Test
  void aFrameOfferedFromInsideSendIsQueuedNotNested() {
    List<String> frames = new ArrayList<>();
    Outbound[] holder = new Outbound[1];
    AtomicInteger depth = new AtomicInteger();
    AtomicInteger maxDepth = new AtomicInteger();
    Transport transport =
        new Transport() {
          @Override
          public void sendText(String text, Runnable onSent, Consumer<Throwable> onFailed) {
            maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
            frames.add(text);
            if (text.equals("first")) {
              holder[0].reply("second");
            }
            onSent.run();
            depth.decrementAndGet();
          }

          @Override
          public void close(int code, String reason) {}
        };
    holder[0] = new Outbound(transport, 1_000);
    holder[0].notify("first");
    holder[0].notify("third");
    assertThat(frames).containsExactly("first", "second", "third");
    assertThat(maxDepth.get()).isEqualTo(1);
  }

  // --- inline completion must not recurse

  @Test
  void hundredThousandInlineCompletionsDoNotRecurse() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, Long.MAX_VALUE);
    int count = 100_000;
    for (int i = 0; i < count; i++) {
      outbound.notify(Integer.toString(i));
    }
    assertThat(transport.frames()).hasSize(1);
    assertThat(outbound.backlog()).isEqualTo(totalLength(count));

    transport.completeInlineFromNowOn();
    transport.completeNext(); // drains the other 99,999 on this thread, each completing inline

    List<String> expected = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      expected.add(Integer.toString(i));
    }
    assertThat(transport.frames()).isEqualTo(expected);
    assertThat(transport.maxStackDepth() - transport.minStackDepth()).as("stack growth while draining").isLessThan(20);
    assertThat(transport.maxInFlight()).isEqualTo(1);
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void hundredThousandFramesOfferedWithInlineCompletion() {
    RecordingTransport transport = RecordingTransport.inline();
    Outbound outbound = new Outbound(transport, 10);
    for (int i = 0; i < 100_000; i++) {
      outbound.notify("0123456789");
    }
    assertThat(transport.frames()).hasSize(100_000);
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  // --- the slow-consumer limit

  @Test
  void notificationsUpToTheLimitAreQueued() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify("12345");
    outbound.notify("67890");
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.backlog()).isEqualTo(10);
  }

  @Test
  void notificationBeyondTheLimitClosesWith1013AndDropsTheQueue() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify("12345"); // in flight
    outbound.notify("67890"); // queued, exactly at the limit
    outbound.reply("reply");
    outbound.notify("x"); // one past it

    assertThat(transport.closes()).containsExactly(CloseCodes.TRY_AGAIN_LATER);
    transport.completeNext();
    assertThat(transport.frames()).containsExactly("12345");
    assertThat(transport.pending()).isZero();

    outbound.notify("late");
    outbound.reply("late reply");
    assertThat(transport.frames()).containsExactly("12345");
    assertThat(transport.closes()).as("closed once").hasSize(1);
    assertThat(outbound.isIdle()).isTrue();
  }

  @Test
  void overflowReleasesTheBacklogOfWhatItDropped() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify("aaaa"); // in flight
    outbound.notify("bbbb"); // queued, dropped on overflow
    outbound.notify("cccccc"); // overflows
    assertThat(transport.closes()).containsExactly(CloseCodes.TRY_AGAIN_LATER);
    transport.completeNext();
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).as("nothing is left to write").isZero();
  }

  @Test
  void theLimitCountsCharactersOfJsonText() {
    // documented unit: characters (UTF-16 units), not UTF-8 bytes; "é" counts once
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify("éééé"); // 4, in flight
    outbound.notify("éééééé"); // 10 in all: at the limit, still queued
    assertThat(transport.closes()).isEmpty();
    outbound.notify("é"); // 11 > 10
    assertThat(transport.closes()).containsExactly(CloseCodes.TRY_AGAIN_LATER);
  }

  @Test
  void repliesNeverTripTheLimit() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 10);
    outbound.reply("r".repeat(1_000)); // in flight, far over the limit
    for (int i = 0; i < 50; i++) {
      outbound.reply("x".repeat(100));
    }
    outbound.notify("0123456789"); // exactly the limit of notifications
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.backlog()).isEqualTo(10);

    transport.completeInlineFromNowOn();
    transport.completeNext();
    assertThat(transport.frames()).hasSize(52).endsWith("0123456789");
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void writtenNotificationsFreeRoomUnderTheLimit() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify("0123456789");
    transport.completeNext();
    outbound.notify("0123456789");
    transport.completeNext();
    outbound.notify("0123456789");
    assertThat(transport.closes()).isEmpty();
    assertThat(transport.frames()).hasSize(3);
  }

  // --- failure and shutdown

  @Test
  void afterAFailedSendNothingMoreIsWritten() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify("a");
    outbound.notify("b");
    outbound.reply("c");
    transport.failNext(new IOException("broken pipe"));
    outbound.notify("d");
    outbound.reply("e");
    assertThat(transport.frames()).containsExactly("a");
    assertThat(transport.pending()).isZero();
    assertThat(outbound.isIdle()).isTrue();
  }

  @Test
  void aFailedSendReleasesTheBacklog() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify("aaa");
    outbound.notify("bb");
    transport.failNext(new IOException("broken pipe"));
    assertThat(outbound.backlog()).as("nothing is left to write").isZero();
  }

  @Test
  void inlineFailureStopsTheDrain() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify("a");
    outbound.notify("b");
    outbound.notify("c");
    transport.failInlineFromNowOn();
    transport.completeNext(); // "a" written; "b" fails inline; "c" must not follow
    assertThat(transport.frames()).containsExactly("a", "b");
    assertThat(outbound.isIdle()).isTrue();
  }

  @Test
  void shutdownDropsWhatIsQueued() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify("a");
    outbound.notify("b");
    outbound.shutdown();
    assertThat(outbound.isIdle()).as("a is still being written").isFalse();
    transport.completeNext();
    outbound.reply("c");
    assertThat(transport.frames()).containsExactly("a");
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.isIdle()).isTrue();
  }

  // --- isIdle and backlog

  @Test
  void idleAndBacklogFollowTheQueue() {
    RecordingTransport transport = RecordingTransport.manual();
    Outbound outbound = new Outbound(transport, 1_000);
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();

    outbound.notify("abc");
    assertThat(outbound.isIdle()).isFalse();
    assertThat(outbound.backlog()).isEqualTo(3);

    outbound.notify("de");
    outbound.reply("fghij");
    assertThat(outbound.backlog()).as("replies are not counted").isEqualTo(5);

    transport.completeNext(); // abc
    assertThat(outbound.backlog()).isEqualTo(2);
    assertThat(outbound.isIdle()).isFalse();

    transport.completeNext(); // de
    assertThat(outbound.backlog()).isZero();
    assertThat(outbound.isIdle()).as("the reply is in flight").isFalse();

    transport.completeNext(); // fghij
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  // --- threads

  @Test
  void concurrentOffersWithCompletionsOnAnotherThread() throws Exception {
    int producers = 4;
    int perProducer = 5_000;
    ExecutorService completer = Executors.newSingleThreadExecutor();
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try {
      CountDownLatch written = new CountDownLatch(producers * perProducer);
      AsyncTransport transport = new AsyncTransport(completer, written);
      Outbound outbound = new Outbound(transport, Long.MAX_VALUE);
      CountDownLatch start = new CountDownLatch(1);
      for (int p = 0; p < producers; p++) {
        int producer = p;
        pool.execute(
            () -> {
              try {
                start.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              for (int i = 0; i < perProducer; i++) {
                if (i % 2 == 0) {
                  outbound.notify(producer + ":" + i);
                } else {
                  outbound.reply(producer + ":" + i);
                }
              }
            });
      }
      start.countDown();
      assertThat(written.await(15, TimeUnit.SECONDS)).as("every frame written").isTrue();

      assertThat(transport.overlapped.get()).as("sends overlapped").isZero();
      List<String> frames = transport.frames;
      assertThat(frames).hasSize(producers * perProducer).doesNotHaveDuplicates();
      int[] next = new int[producers];
      for (String frame : frames) {
        String[] parts = frame.split(":");
        int producer = Integer.parseInt(parts[0]);
        assertThat(Integer.parseInt(parts[1])).as("order of producer %d", producer).isEqualTo(next[producer]++);
      }
      CountDownLatch drained = new CountDownLatch(1);
      completer.execute(drained::countDown); // the last onSent has run once this does
      assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(outbound.isIdle()).isTrue();
      assertThat(outbound.backlog()).isZero();
    } finally {
      pool.shutdownNow();
      completer.shutdownNow();
    }
  }

  // --- fakes

  private static long totalLength(int count) {
    long total = 0;
    for (int i = 0; i < count; i++) {
      total += Integer.toString(i).length();
    }
    return total;
  }

  /** Records frames and close codes; completes sends inline or when the test says so. Single-threaded. */
  private static final class RecordingTransport implements Transport {
    private record Pending(Runnable onSent, Consumer<Throwable> onFailed) {}

    private enum Mode { INLINE, MANUAL, FAIL_INLINE }

    private final List<String> frames = new ArrayList<>();
    private final List<Integer> closes = new ArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Mode mode;
    private int inFlight;
    private int maxInFlight;
    private int minStackDepth = Integer.MAX_VALUE;
    private int maxStackDepth;

    private RecordingTransport(Mode mode) {
      this.mode = mode;
    }

    static RecordingTransport inline() {
      return new RecordingTransport(Mode.INLINE);
    }

    static RecordingTransport manual() {
      return new RecordingTransport(Mode.MANUAL);
    }

    @Override
    public void sendText(String text, Runnable onSent, Consumer<Throwable> onFailed) {
      frames.add(text);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (frames.size() % 512 == 1) { // sampled: recursion would grow the stack steadily
        int depth = StackWalker.getInstance().walk(s -> (int) s.count());
        minStackDepth = Math.min(minStackDepth, depth);
        maxStackDepth = Math.max(maxStackDepth, depth);
      }
      switch (mode) {
        case INLINE -> {
          inFlight--;
          onSent.run();
        }
        case FAIL_INLINE -> {
          inFlight--;
          onFailed.accept(new IOException("inline failure"));
        }
        case MANUAL -> pending.add(new Pending(onSent, onFailed));
      }
    }

    @Override
    public void close(int code, String reason) {
      assertThat(reason).isNotBlank();
      closes.add(code);
    }

    void completeNext() {
      Pending next = pending.remove();
      inFlight--;
      next.onSent().run();
    }

    void failNext(Throwable failure) {
      Pending next = pending.remove();
      inFlight--;
      next.onFailed().accept(failure);
    }

    void completeInlineFromNowOn() {
      mode = Mode.INLINE;
    }

    void failInlineFromNowOn() {
      mode = Mode.FAIL_INLINE;
    }

    List<String> frames() {
      return frames;
    }

    List<Integer> closes() {
      return closes;
    }

    int pending() {
      return pending.size();
    }

    int maxInFlight() {
      return maxInFlight;
    }

    int minStackDepth() {
      return minStackDepth;
    }

    int maxStackDepth() {
      return maxStackDepth;
    }
  }

  /** Completes every send later on another thread; counts overlapping sends. */
  private static final class AsyncTransport implements Transport {
    final List<String> frames = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger overlapped = new AtomicInteger();
    private final ExecutorService completer;
    private final CountDownLatch written;

    AsyncTransport(ExecutorService completer, CountDownLatch written) {
      this.completer = completer;
      this.written = written;
    }

    @Override
    public void sendText(String text, Runnable onSent, Consumer<Throwable> onFailed) {
      if (inFlight.incrementAndGet() > 1) {
        overlapped.incrementAndGet();
      }
      frames.add(text);
      completer.execute(
          () -> {
            inFlight.decrementAndGet();
            written.countDown();
            onSent.run();
          });
    }

    @Override
    public void close(int code, String reason) {
      throw new AssertionError("unexpected close " + code + " " + reason);
    }
  }
}
