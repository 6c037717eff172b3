package io.parley.server.hub;

import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.Message;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.TextFrame;
import io.parley.server.ws.Transport;
import io.parley.server.ws.WriteBatch;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's part of fan-out: one committed message, encoded once, handed to each of
 * {@value #MEMBERS} members of a room through the real {@code Room -> RoomFeed (SessionFeed) ->
 * Outbound} path, down to a transport that completes every write at once. Figures are per
 * delivery (one member), so the socket write, which is most of a real delivery, is not in them.
 *
 * <p>Why this class sits in {@code io.parley.server.hub}: a {@link Room} is package-private and
 * joining is done by {@code room.join}, which needs a store; the benchmark adds members to a room
 * directly. The jar is on the class path (no modules), so sharing the package is allowed.
 *
 * <p>Single-threaded, like one delivery round of a room under {@link FanOutWorkers#SPLIT_FROM}
 * members on {@code parley-deliver}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class FanOutBenchmark {
  private static final int MEMBERS = 1_000;
  private static final String ROOM = "general";
  /** Far above one frame: the no-op transport completes every write, so nothing piles up. */
  private static final long OUTBOUND_LIMIT = 4L << 20;

  private final Room room = new Room(ROOM);
  private final ClientSession[] sessions = new ClientSession[MEMBERS];
  private final NoOpTransport transport = new NoOpTransport();
  /** Above the seq each member's join covered (0), so no member filters it out. */
  private final long[] seqs = {1};
  private TextFrame[] frames;

  @Setup(Level.Trial)
  public void joinMembers() {
    Message message = new Message(
        ROOM, 1, "alice", "hello, world: is everyone here for the 3 pm sync?",
        "2026-11-23T12:53:21.123Z", "c-0f3a9b2e-41d7");
    frames = new TextFrame[] {
        TextFrame.of(RpcCodec.encode(Notifications.CHAT_MESSAGE.toMessage(message)))};
    for (int i = 0; i < MEMBERS; i++) {
      sessions[i] = new ClientSession("s" + i, "user" + i, transport, OUTBOUND_LIMIT);
      room.add(sessions[i]).goLive(0);
    }
  }

  @TearDown(Level.Trial)
  public void check() {
    if (transport.frames == 0) {
      throw new IllegalStateException("nothing was delivered: the benchmark measures nothing");
    }
  }

  /** A delivery round of one message, each member's write unbatched. */
  @Benchmark
  @OperationsPerInvocation(MEMBERS)
  public void roomDeliver() {
    room.deliverAll(seqs, frames, null, WriteBatch.NONE);
  }

  /** The same inside a write batch, as delivery rounds run: writes held, one flush per session. */
  @Benchmark
  @OperationsPerInvocation(MEMBERS)
  public void roomDeliverInWriteBatch() {
    try (WriteBatch batch = WriteBatch.open()) {
      room.deliverAll(seqs, frames, null, batch);
    }
  }

  /** The per-member core alone: {@link ClientSession#notify(TextFrame)} for each session. */
  @Benchmark
  @OperationsPerInvocation(MEMBERS)
  public void sessionNotify() {
    TextFrame frame = frames[0];
    for (ClientSession session : sessions) {
      session.notify(frame);
    }
  }

  /**
   * A socket that writes instantly: completes each write inline, also held ones (so a batch's
   * flush has nothing left to do). It counts frames so the work has a visible effect.
   */
  private static final class NoOpTransport implements Transport {
    private long frames;
    private long bytes;

    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      frames++;
      bytes += utf8.remaining();
      done.sent();
    }

    @Override
    public void close(int code, String reason) {
      throw new IllegalStateException("closed with " + code + ": " + reason + " after " + bytes + " bytes");
    }
  }
}
