package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.CloseCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Outbound: frames handed over in order, the 1013 limit in bytes of notifications, failure, shutdown and idleness. */
@Timeout(20)
class OutboundTest {

  private static TextFrame text(String s) {
    return TextFrame.of(s);
  }

  // --- order

  @Test
  void framesAreHandedOverInOrderWithoutWaitingForEarlierWrites() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify(text("1"));
    outbound.reply(text("2"));
    outbound.notify(text("3"));
    assertThat(transport.frames()).containsExactly("1", "2", "3");
    assertThat(transport.pending()).isEqualTo(3);
    assertThat(outbound.isIdle()).isFalse();

    transport.completeAll();
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void inlineCompletionLeavesNothingBehind() {
    RecordingTransport transport = new RecordingTransport();
    transport.completeInline = true;
    Outbound outbound = new Outbound(transport, 10);
    for (int i = 0; i < 100_000; i++) {
      outbound.notify(text("0123456789"));
    }
    assertThat(transport.frames()).hasSize(100_000);
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void everyWriteGetsItsOwnViewOfTheSharedBytes() {
    RecordingTransport transport = new RecordingTransport();
    Outbound first = new Outbound(transport, 1_000);
    Outbound second = new Outbound(transport, 1_000);
    TextFrame shared = text("{\"jsonrpc\":\"2.0\"}");
    first.notify(shared);
    transport.drainPayloadOf(0); // a write consumes its view...
    second.notify(shared);
    assertThat(transport.payloadRemaining(1)).as("...not the next one's").isEqualTo(shared.size());
    assertThat(shared.payload().remaining()).isEqualTo(shared.size());
  }

  // --- write batches

  @Test
  void framesWrittenThroughABatchAreHeldAndEachSessionIsFlushedOnceAtTheEnd() {
    RecordingTransport a = new RecordingTransport();
    RecordingTransport b = new RecordingTransport();
    Outbound first = new Outbound(a, 1_000);
    Outbound second = new Outbound(b, 1_000);
    try (WriteBatch batch = WriteBatch.open()) {
      first.notify(text("1"), batch);
      first.notify(text("2"), batch);
      second.notify(text("3"), batch);
      first.reply(text("r")); // not written through the batch: goes out at once, and flushes what was held
      assertThat(b.flushes).as("nothing flushed before the batch closes").isZero();
    }
    assertThat(a.held).containsExactly(true, true, false);
    assertThat(b.held).containsExactly(true);
    assertThat(a.flushes).isEqualTo(1);
    assertThat(b.flushes).isEqualTo(1);

    first.notify(text("4"));
    assertThat(a.held).as("outside a batch nothing is held").containsExactly(true, true, false, false);
    assertThat(a.frames()).containsExactly("1", "2", "r", "4");
  }

  @Test
  void aSessionHeldByABatchHasItsRepliesOnThatThreadWrittenInOneGo() {
    RecordingTransport a = new RecordingTransport();
    ClientSession session = new ClientSession("s", "u", a, 1_000);
    try (WriteBatch batch = WriteBatch.open()) {
      batch.hold(session);
      session.reply("{\"id\":1}");
      session.reply("{\"id\":2}");
      assertThat(a.flushes).isZero();
    }
    session.reply("{\"id\":3}");
    assertThat(a.held).containsExactly(true, true, false);
    assertThat(a.flushes).isEqualTo(1);
  }

  @Test
  void aBatchHoldsOnlyItsOwnThreadsWritesAndNothingOnceClosed() throws Exception {
    RecordingTransport a = new RecordingTransport();
    Outbound outbound = new Outbound(a, 1_000);
    WriteBatch batch = WriteBatch.open();
    Thread other = new Thread(() -> outbound.notify(text("other"), batch));
    other.start();
    other.join(10_000);
    outbound.notify(text("mine"), batch);
    batch.close();
    outbound.notify(text("late"), batch);
    assertThat(a.frames()).containsExactly("other", "mine", "late");
    assertThat(a.held).containsExactly(false, true, false);
    assertThat(WriteBatch.NONE.isReal()).isFalse();
  }

  // --- the slow-consumer limit

  @Test
  void notificationsUpToTheLimitAreAccepted() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify(text("12345"));
    outbound.notify(text("67890"));
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.backlog()).isEqualTo(10);
  }

  @Test
  void notificationBeyondTheLimitClosesWith1013OnceAndNothingMoreIsSent() {
    RecordingTransport transport = new RecordingTransport();
    int[] overflows = {0};
    Outbound outbound = new Outbound(transport, 10, () -> overflows[0]++, NodeBacklog.NONE);
    outbound.notify(text("12345"));
    outbound.notify(text("67890")); // exactly at the limit
    outbound.reply(text("reply"));
    outbound.notify(text("x")); // one past it

    assertThat(transport.closes()).containsExactly(CloseCodes.TRY_AGAIN_LATER);
    assertThat(overflows[0]).isEqualTo(1);
    outbound.notify(text("late"));
    outbound.reply(text("late reply"));
    assertThat(transport.frames()).containsExactly("12345", "67890", "reply");
    assertThat(transport.closes()).as("closed once").hasSize(1);

    transport.completeAll();
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void theLimitCountsUtf8Bytes() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 10);
    outbound.notify(text("ééé")); // 6 bytes
    outbound.notify(text("éé")); // 10 in all: at the limit
    assertThat(transport.closes()).isEmpty();
    outbound.notify(text("a")); // 11 > 10
    assertThat(transport.closes()).containsExactly(CloseCodes.TRY_AGAIN_LATER);
  }

  @Test
  void repliesNeverTripTheLimit() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 10);
    outbound.reply(text("r".repeat(1_000)));
    for (int i = 0; i < 50; i++) {
      outbound.reply(text("x".repeat(100)));
    }
    outbound.notify(text("0123456789"));
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.backlog()).isEqualTo(10);
    transport.completeAll();
    assertThat(transport.frames()).hasSize(52).endsWith("0123456789");
    assertThat(outbound.backlog()).isZero();
  }

  @Test
  void writtenNotificationsFreeRoomUnderTheLimit() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 10);
    for (int i = 0; i < 3; i++) {
      outbound.notify(text("0123456789"));
      transport.completeAll();
    }
    assertThat(transport.closes()).isEmpty();
    assertThat(transport.frames()).hasSize(3);
  }

  // --- failure and shutdown

  @Test
  void afterAFailedWriteNothingMoreIsSent() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify(text("a"));
    outbound.notify(text("b"));
    transport.failNext(new IOException("broken pipe"));
    transport.failNext(new IOException("broken pipe"));
    outbound.notify(text("c"));
    outbound.reply(text("d"));
    assertThat(transport.frames()).containsExactly("a", "b");
    assertThat(outbound.isIdle()).isTrue();
    assertThat(outbound.backlog()).as("nothing is left to write").isZero();
  }

  @Test
  void shutdownStopsSendingButTracksWhatIsInFlight() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 1_000);
    outbound.notify(text("a"));
    outbound.shutdown();
    outbound.reply(text("b"));
    assertThat(outbound.isIdle()).as("a is still being written").isFalse();
    transport.completeAll();
    assertThat(transport.frames()).containsExactly("a");
    assertThat(transport.closes()).isEmpty();
    assertThat(outbound.isIdle()).isTrue();
  }

  @Test
  void idleAndBacklogFollowTheWrites() {
    RecordingTransport transport = new RecordingTransport();
    Outbound outbound = new Outbound(transport, 1_000);
    assertThat(outbound.isIdle()).isTrue();
    outbound.notify(text("abc"));
    outbound.notify(text("de"));
    outbound.reply(text("fghij"));
    assertThat(outbound.backlog()).as("replies are not counted").isEqualTo(5);
    transport.completeNext(); // abc
    assertThat(outbound.backlog()).isEqualTo(2);
    transport.completeNext(); // de
    assertThat(outbound.backlog()).isZero();
    assertThat(outbound.isIdle()).as("the reply is in flight").isFalse();
    transport.completeNext();
    assertThat(outbound.isIdle()).isTrue();
  }

  // --- threads

  @Test
  void concurrentOffersWithCompletionsOnAnotherThreadKeepEachThreadsOrderAndTheCounts() throws Exception {
    int producers = 4;
    int perProducer = 5_000;
    ExecutorService completer = Executors.newSingleThreadExecutor();
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try {
      CountDownLatch written = new CountDownLatch(producers * perProducer);
      List<String> frames = Collections.synchronizedList(new ArrayList<>());
      Transport transport = new Transport() {
        @Override
        public void sendText(ByteBuffer utf8, Completion done, boolean more) {
          frames.add(StandardCharsets.UTF_8.decode(utf8).toString());
          completer.execute(() -> {
            done.sent();
            written.countDown();
          });
        }

        @Override
        public void close(int code, String reason) {
          throw new AssertionError("unexpected close " + code + " " + reason);
        }
      };
      Outbound outbound = new Outbound(transport, Long.MAX_VALUE);
      CountDownLatch start = new CountDownLatch(1);
      for (int p = 0; p < producers; p++) {
        int producer = p;
        pool.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < perProducer; i++) {
            TextFrame frame = text(producer + ":" + i);
            if (i % 2 == 0) {
              outbound.notify(frame);
            } else {
              outbound.reply(frame);
            }
          }
        });
      }
      start.countDown();
      assertThat(written.await(15, TimeUnit.SECONDS)).as("every frame written").isTrue();
      assertThat(frames).hasSize(producers * perProducer).doesNotHaveDuplicates();
      int[] next = new int[producers];
      for (String frame : frames) {
        String[] parts = frame.split(":");
        int producer = Integer.parseInt(parts[0]);
        assertThat(Integer.parseInt(parts[1])).as("order of producer %d", producer).isEqualTo(next[producer]++);
      }
      assertThat(outbound.isIdle()).isTrue();
      assertThat(outbound.backlog()).isZero();
    } finally {
      pool.shutdownNow();
      completer.shutdownNow();
    }
  }

  /** Records frames and close codes; completes writes inline or when the test says so. Single-threaded. */
  private static final class RecordingTransport implements Transport {
    private final List<String> frames = new ArrayList<>();
    private final List<ByteBuffer> payloads = new ArrayList<>();
    private final List<Integer> closes = new ArrayList<>();
    private final ArrayDeque<Completion> pending = new ArrayDeque<>();
    final List<Boolean> held = new ArrayList<>();
    int flushes;
    boolean completeInline;


    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      held.add(more);
      payloads.add(utf8);
      frames.add(StandardCharsets.UTF_8.decode(utf8.duplicate()).toString());
      if (completeInline) {
        done.sent();
      } else {
        pending.add(done);
      }
    }

    @Override
    public void close(int code, String reason) {
      assertThat(reason).isNotBlank();
      closes.add(code);
    }

    void drainPayloadOf(int index) {
      ByteBuffer payload = payloads.get(index);
      payload.position(payload.limit());
    }

    int payloadRemaining(int index) {
      return payloads.get(index).remaining();
    }

    void completeNext() {
      pending.remove().sent();
    }

    void completeAll() {
      while (!pending.isEmpty()) {
        completeNext();
      }
    }

    void failNext(Throwable failure) {
      pending.remove().failed(failure);
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
  }
}
