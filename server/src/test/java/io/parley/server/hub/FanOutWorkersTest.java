package io.parley.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.ws.ClientSession;
import io.parley.server.ws.TextFrame;
import io.parley.server.ws.Transport;
import io.parley.server.ws.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Large rooms' rounds split over threads: every member still gets every message once, in order. */
@Timeout(30)
class FanOutWorkersTest {
  private static final Set<String> WRITER_THREADS = ConcurrentHashMap.newKeySet();

  /** Records what one session was sent, and from which threads. */
  private static final class Recording implements Transport {
    final List<String> texts = new ArrayList<>();
    final AtomicInteger flushes = new AtomicInteger();

    @Override
    public synchronized void sendText(ByteBuffer utf8, Completion done, boolean more) {
      texts.add(StandardCharsets.UTF_8.decode(utf8).toString());
      WRITER_THREADS.add(Thread.currentThread().getName());
      done.sent();
    }

    @Override
    public void flush() {
      flushes.incrementAndGet();
    }

    @Override
    public void close(int code, String reason) {}

    synchronized List<String> texts() {
      return List.copyOf(texts);
    }
  }

  private static List<Recording> join(Room room, int members) {
    List<Recording> transports = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      Recording transport = new Recording();
      transports.add(transport);
      room.add(new ClientSession("s" + i, "u" + i, transport, 1 << 20)).goLive(0);
    }
    return transports;
  }

  private static void rounds(Room room, FanOutWorkers workers, int rounds, int perRound) {
    rounds(room, workers, rounds, perRound, WriteBatch.NONE);
  }

  private static void rounds(Room room, FanOutWorkers workers, int rounds, int perRound, WriteBatch batch) {
    long seq = 0;
    for (int r = 0; r < rounds; r++) {
      long[] seqs = new long[perRound];
      TextFrame[] frames = new TextFrame[perRound];
      for (int i = 0; i < perRound; i++) {
        seqs[i] = ++seq;
        frames[i] = TextFrame.of("m" + seq);
      }
      room.deliverAll(seqs, frames, workers, batch);
    }
  }

  private static List<String> expected(int messages) {
    return LongStream.rangeClosed(1, messages).mapToObj(s -> "m" + s).toList();
  }

  @Test
  void aLargeRoomIsSplitOverTheHelpersAndEveryMemberGetsEveryMessageInOrder() {
    WRITER_THREADS.clear();
    Room room = new Room("big");
    List<Recording> members = join(room, FanOutWorkers.SPLIT_FROM * 2 + 77);
    try (FanOutWorkers workers = new FanOutWorkers(3)) {
      rounds(room, workers, 40, 3);
    }
    for (Recording member : members) {
      assertThat(member.texts()).isEqualTo(expected(120));
    }
    assertThat(WRITER_THREADS).contains(Thread.currentThread().getName())
        .anyMatch(name -> name.startsWith("parley-fanout-"));
  }

  @Test
  void insideAWriteBatchEveryPartFlushesItsOwnSessions() {
    Room room = new Room("batched");
    List<Recording> members = join(room, FanOutWorkers.SPLIT_FROM + 1);
    try (FanOutWorkers workers = new FanOutWorkers(2); WriteBatch batch = WriteBatch.open()) {
      rounds(room, workers, 1, 2, batch);
      long flushedByTheHelper = members.stream().filter(m -> m.flushes.get() == 1).count();
      assertThat(flushedByTheHelper).as("the helper's part, flushed when its own batch closed")
          .isEqualTo(members.size() / 2);
    }
    for (Recording member : members) {
      assertThat(member.texts()).isEqualTo(expected(2));
      assertThat(member.flushes).hasValue(1);
    }
  }

  @Test
  void aSmallRoomStaysOnTheDeliveringThread() {
    WRITER_THREADS.clear();
    Room room = new Room("small");
    List<Recording> members = join(room, FanOutWorkers.SPLIT_FROM - 1);
    try (FanOutWorkers workers = new FanOutWorkers(2)) {
      rounds(room, workers, 5, 1);
    }
    assertThat(WRITER_THREADS).containsExactly(Thread.currentThread().getName());
    assertThat(members.get(0).texts()).isEqualTo(expected(5));
  }
}
