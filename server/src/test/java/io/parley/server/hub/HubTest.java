package io.parley.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.CloseCodes;
import io.parley.protocol.types.Message;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.RoomFeed;
import io.parley.server.ws.SessionRegistry;
import io.parley.server.ws.Subscriber;
import io.parley.server.ws.TextFrame;
import io.parley.server.ws.Transport;
import io.parley.server.ws.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hub with fake subscribers: what a member gets, in which order, on which threads. */
@Timeout(30)
class HubTest {
  private final Hub hub = new Hub(new SessionRegistry(), null, true);

  @AfterEach
  void close() {
    hub.close();
  }

  /** Records what its feeds were handed; {@code expect} counts messages down. */
  private static final class Fake implements Subscriber {
    final String user;
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<TextFrame> frames = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final CountDownLatch expect;

    Fake(String user, int expected) {
      this.user = user;
      this.expect = new CountDownLatch(expected);
    }

    @Override
    public String user() {
      return user;
    }

    @Override
    public RoomFeed joinFeed() {
      return new RoomFeed() {
        @Override
        public Subscriber subscriber() {
          return Fake.this;
        }

        @Override
        public void messages(long[] s, TextFrame[] f, WriteBatch batch) {
          threads.add(Thread.currentThread().getName());
          for (int i = 0; i < s.length; i++) {
            seqs.add(s[i]);
            frames.add(f[i]);
            expect.countDown();
          }
        }

        @Override
        public void event(TextFrame frame) {
          events.add(frame.toString());
        }

        @Override
        public void changes(long[] revs, TextFrame[] frames, WriteBatch batch) {}

        @Override
        public void goLive(long coveredSeq, long coveredRev) {}
      };
    }

    void await() throws InterruptedException {
      assertThat(expect.await(10, TimeUnit.SECONDS)).as("%s got every message", user).isTrue();
    }
  }

  /** Records the broker calls the hub makes. */
  private static final class Subscriptions implements Broker {
    final List<String> calls = new ArrayList<>();

    @Override
    public void publish(List<Message> committed) {}

    @Override
    public void publishChanges(List<RoomChange> committed) {}

    @Override
    public int broadcast(String notification) {
      return 0;
    }

    @Override
    public void subscribe(String room) {
      calls.add("+" + room);
    }

    @Override
    public void unsubscribe(String room) {
      calls.add("-" + room);
    }

    @Override
    public <T extends Covered> T readForJoin(String room, Supplier<T> read) {
      return read.get();
    }

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static Message message(String room, long seq) {
    return new Message(room, seq, "u", room + seq, "2026-01-01T00:00:00.000Z", null);
  }

  private static List<Long> run(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void eachMemberGetsItsRoomsMessagesInOrderOnceAndEachRoundEncodesAMessageOnce() throws Exception {
    Fake a1 = new Fake("a1", 30);
    Fake a2 = new Fake("a2", 30);
    Fake b1 = new Fake("b1", 30);
    hub.join("a", a1).goLive(0);
    hub.join("a", a2).goLive(0);
    hub.join("b", b1).goLive(0);
    for (long seq = 1; seq <= 30; seq += 3) {
      hub.accept(List.of(message("a", seq), message("b", seq), message("a", seq + 1)));
      hub.accept(List.of(message("b", seq + 1), message("a", seq + 2), message("b", seq + 2)));
    }
    a1.await();
    a2.await();
    b1.await();
    assertThat(a1.seqs).isEqualTo(run(1, 30));
    assertThat(a2.seqs).isEqualTo(run(1, 30));
    assertThat(b1.seqs).isEqualTo(run(1, 30));
    for (int i = 0; i < 30; i++) {
      assertThat(a1.frames.get(i)).as("one encoding per message for all members").isSameAs(a2.frames.get(i));
      assertThat(a1.frames.get(i).toString()).contains("\"method\":\"chat.message\"").contains("\"text\":\"a" + (i + 1) + "\"");
    }
  }

  @Test
  void aJoiningSessionHoldsWhatArrivesDuringItsReadAndReleasesOnlyWhatItsReadDidNotCover() throws Exception {
    List<String> written = new CopyOnWriteArrayList<>();
    ClientSession joining = new ClientSession("s", "joining", recording(written, true), 1 << 20);
    Fake witness = new Fake("witness", 4);
    hub.join("r", witness).goLive(0);
    hub.join("other", witness).goLive(0);
    RoomFeed feed = hub.join("r", joining);
    assertThat(hub.join("r", joining)).as("a second join of the same session").isNull();

    hub.accept(List.of(message("r", 1), message("r", 2), message("r", 3)));
    hub.accept(List.of(message("other", 1)));
    // Rounds run one after another and a round's rooms in order: once the witness has "other"'s
    // message, every member of "r" (the joining session among them) was handed r's messages.
    witness.await();
    assertThat(written).as("nothing before the join's reply").isEmpty();

    feed.goLive(1);
    assertThat(written).hasSize(2);
    assertThat(written.get(0)).contains("\"seq\":2");
    assertThat(written.get(1)).contains("\"seq\":3");
  }

  @Test
  void aLargeRoomIsSplitOverCoresAndEveryMemberStillGetsEverythingInOrder() throws Exception {
    List<Fake> members = new ArrayList<>();
    for (int i = 0; i < FanOutWorkers.SPLIT_FROM * 2 + 3; i++) {
      Fake member = new Fake("m" + i, 20);
      members.add(member);
      hub.join("big", member).goLive(0);
    }
    for (long seq = 1; seq <= 20; seq += 2) {
      hub.accept(List.of(message("big", seq), message("big", seq + 1)));
    }
    Set<String> threads = new java.util.HashSet<>();
    for (Fake member : members) {
      member.await();
      assertThat(member.seqs).isEqualTo(run(1, 20));
      threads.addAll(member.threads);
      assertThat(member.threads).as("a member is written by one thread per round").hasSizeLessThanOrEqualTo(2);
    }
    assertThat(threads).contains("parley-deliver");
    if (Runtime.getRuntime().availableProcessors() > 1) {
      assertThat(threads).anyMatch(t -> t.startsWith("parley-fanout-"));
    }
  }

  @Test
  void aMemberThatStopsReadingIsClosedWith1013AndTheOthersGetEverything() throws Exception {
    List<Integer> closes = new CopyOnWriteArrayList<>();
    Transport stuck = new Transport() {
      @Override
      public void sendText(ByteBuffer utf8, Completion done, boolean more) {} // never written

      @Override
      public void close(int code, String reason) {
        closes.add(code);
      }
    };
    ClientSession slow = new ClientSession("slow", "slow", stuck, 2_000);
    hub.join("r", slow).goLive(0);
    Fake fast = new Fake("fast", 51);
    hub.join("r", fast).goLive(0);
    hub.join("other", fast).goLive(0);
    for (long seq = 1; seq <= 50; seq++) {
      hub.accept(List.of(message("r", seq)));
    }
    hub.accept(List.of(message("other", 1))); // delivered after every member of r had its turn
    fast.await();
    assertThat(fast.seqs.subList(0, 50)).isEqualTo(run(1, 50));
    assertThat(closes).containsExactly(CloseCodes.TRY_AGAIN_LATER);
    assertThat(slow.isDeparting()).as("it leaves its rooms without waiting for its close").isTrue();
  }

  @Test
  void theBrokerHearsOfARoomsFirstMemberAndLastDepartureOnly() {
    Subscriptions broker = new Subscriptions();
    hub.subscribeThrough(broker);
    Fake x = new Fake("x", 0);
    Fake y = new Fake("y", 0);
    hub.join("r", x);
    hub.join("r", y);
    assertThat(hub.leave("r", x)).isTrue();
    assertThat(hub.leave("r", x)).isFalse();
    assertThat(hub.users("r")).containsExactly("y");
    hub.leave("r", y);
    assertThat(broker.calls).containsExactly("+r", "-r");
    assertThat(hub.roomCount()).isZero();
  }

  @Test
  void presenceGoesToEveryMemberButTheOneItIsAbout() {
    Fake x = new Fake("x", 0);
    Fake y = new Fake("y", 0);
    hub.join("r", x).goLive(0);
    hub.join("r", y).goLive(0);
    hub.notifyMembers("r", x, "{\"left\":\"x\"}");
    assertThat(x.events).isEmpty();
    assertThat(y.events).containsExactly("{\"left\":\"x\"}");
  }

  private static Transport recording(List<String> written, boolean complete) {
    return new Transport() {
      @Override
      public void sendText(ByteBuffer utf8, Completion done, boolean more) {
        written.add(StandardCharsets.UTF_8.decode(utf8).toString());
        if (complete) {
          done.sent();
        }
      }

      @Override
      public void close(int code, String reason) {}
    };
  }
}
