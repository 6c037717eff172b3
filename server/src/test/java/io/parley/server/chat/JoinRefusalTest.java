package io.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.JoinParams;
import io.parley.server.limits.ReadLane;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import io.parley.server.hub.Hub;
import io.parley.server.hub.LocalBroker;
import io.parley.server.hub.Presence;
import io.parley.server.limits.LimitMetrics;
import io.parley.server.ws.SessionRegistry;
import io.parley.protocol.types.Message;
import io.parley.server.ws.Transport;
import io.parley.sql.MessageStore;
import io.parley.sql.StoreSettings;
import io.parley.sql.Stores;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A join the node has no read for is refused before it changes anything, and a retry works. */
@Timeout(30)
class JoinRefusalTest {
  private final Hub rooms = new Hub(new SessionRegistry(), null, false);
  private final BlockingWork work = new BlockingWork(1, 1);
  private MessageStore store;
  private RoomMethods methods;

  /** Records the text frames one session was sent. */
  private static final class Recording implements Transport {
    final List<String> texts = new CopyOnWriteArrayList<>();

    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      texts.add(StandardCharsets.UTF_8.decode(utf8).toString());
      done.sent();
    }

    @Override
    public void close(int code, String reason) {}
  }

  @BeforeEach
  void open() throws Exception {
    Path dir = Files.createTempDirectory("parley-join-refusal");
    store = Stores.open(StoreSettings.embedded(dir));
    methods = new RoomMethods(rooms, store, work, new LocalBroker(rooms), Presence.NONE, Integer.MAX_VALUE,
        LimitMetrics.NONE);
  }

  @AfterEach
  void close() {
    rooms.close();
    work.close();
    store.close();
  }

  @Test
  void aJoinRefusedForWantOfAReadLeavesNoMemberAndARetryReceivesMessages() throws Exception {
    Recording aliceWire = new Recording();
    Recording bobWire = new Recording();
    ClientSession alice = new ClientSession("a", "alice", aliceWire, 1 << 20);
    ClientSession bob = new ClientSession("b", "bob", bobWire, 1 << 20);
    join(bob);

    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> blocker = work.supply(ReadLane.unbounded(), () -> {
      await(release);
      return null;
    });

    assertThatThrownBy(() -> methods.join(CallContext.of(alice), new JoinParams("r", null)))
        .isInstanceOfSatisfying(RpcException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCodes.RATE_LIMITED));
    assertThat(methods.isMember("r", alice)).isFalse();
    assertThat(alice.rooms()).isEmpty();
    assertThat(rooms.users("r")).containsExactly("bob");
    assertThat(bobWire.texts).as("bob was told of no join").noneMatch(t -> t.contains("room.joined"));

    release.countDown();
    blocker.get(10, TimeUnit.SECONDS);
    join(alice);
    assertThat(rooms.users("r")).containsExactly("alice", "bob");
    rooms.accept(List.of(new Message("r", 1, "bob", "live", "2026-01-01T00:00:00.000Z", null)));
    rooms.drain(TimeUnit.SECONDS.toNanos(10));
    assertThat(aliceWire.texts).anyMatch(t -> t.contains("\"text\":\"live\""));
  }

  private void join(ClientSession session) throws Exception {
    CallContext context = CallContext.of(session);
    methods.join(context, new JoinParams("r", null)).get(10, TimeUnit.SECONDS);
    context.replied();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
