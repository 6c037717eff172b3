package io.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ReadPosition;
import io.parley.client.ReconnectPolicy;
import io.parley.client.Typing;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.RoomInfo;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SDK's contract 1.1 methods served so far: typing, read positions and room info, against the real server. */
@Timeout(60)
class ClientChatLayerTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static <T> T get(CompletableFuture<T> future) {
    return future.orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static ParleyClient client(String name) {
    ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).name(name)
        .callTimeout(Duration.ofSeconds(10)).build();
    get(client.connect());
    return client;
  }

  @Test
  void typingAndReadPositionsReachTheOtherMembersListeners() {
    try (ParleyClient ann = client("ann"); ParleyClient bob = client("bob")) {
      JoinedRoom annRoom = get(ann.join("sdk-1.1"));
      JoinedRoom bobRoom = get(bob.join("sdk-1.1"));
      CompletableFuture<Typing> typing = new CompletableFuture<>();
      CompletableFuture<ReadPosition> read = new CompletableFuture<>();
      bobRoom.onTyping(typing::complete);
      bobRoom.onRead(read::complete);

      get(annRoom.typing());
      assertThat(get(typing)).isEqualTo(new Typing("sdk-1.1", "ann"));

      long seq = get(bobRoom.send("read this")).seq();
      assertThat(get(annRoom.markRead(seq))).isEqualTo(seq);
      assertThat(get(read)).isEqualTo(new ReadPosition("sdk-1.1", "ann", seq));
      assertThat(get(ann.markRead("sdk-1.1", 0))).as("only forward").isEqualTo(seq);
    }
    try (ParleyClient annAgain = client("ann")) {
      assertThat(get(annAgain.join("sdk-1.1")).joinResult().lastRead()).isEqualTo(1);
    }
  }

  @Test
  void infoCountsTheRoomsUsersAndSessions() {
    try (ParleyClient ann = client("ann"); ParleyClient ann2 = client("ann"); ParleyClient outsider = client("olga")) {
      get(ann.join("sdk-info"));
      get(ann2.join("sdk-info"));
      get(ann.send("sdk-info", "one"));
      RoomInfo info = get(outsider.info("sdk-info"));
      assertThat(info).isEqualTo(new RoomInfo("sdk-info", 1, 0, 1, 2));
    }
  }

  @Test
  void directMessagesComeWithoutAJoinAndWhatCameWhileAwayIsCaughtUp() throws Exception {
    try (CutProxy proxy = new CutProxy(server.port());
        ParleyClient ann = ParleyClient.builder().endpoint(proxy.wsUri()).name("ann-dm")
            .reconnect(ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(400)))
            .callTimeout(Duration.ofSeconds(10)).build();
        ParleyClient bob = client("bob-dm")) {
      get(ann.connect());
      List<Message> annGot = new CopyOnWriteArrayList<>();
      ann.onDirect(annGot::add);
      CompletableFuture<Message> atBob = new CompletableFuture<>();
      bob.onDirect(atBob::complete);

      Message sent = get(ann.sendDirect("bob-dm", "hi bob"));
      assertThat(sent.to()).isEqualTo("bob-dm");
      assertThat(sent.room()).matches("dm\\.[0-9a-f]{32}");
      assertThat(get(atBob).text()).isEqualTo("hi bob");
      assertThat(get(bob.conversations(10))).extracting(c -> c.room() + " " + c.with())
          .containsExactly(sent.room() + " ann-dm");

      // What bob sends while ann's connection is held and then cut never reaches her live.
      proxy.pauseDownstream();
      get(bob.sendDirect("ann-dm", "while away 1"));
      get(bob.sendDirect("ann-dm", "while away 2"));
      proxy.cut();
      proxy.resume();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (annGot.size() < 3) {
        assertThat(System.nanoTime()).as("ann caught up within 20 s: %s", annGot).isLessThan(deadline);
        get(ann.echo("[1]")); // a bounded round trip while waiting
      }
      assertThat(annGot).extracting(Message::text).containsExactly("hi bob", "while away 1", "while away 2");
      assertThat(annGot).extracting(Message::to).containsExactly("bob-dm", "ann-dm", "ann-dm");
    }
  }

  @Test
  void aNegativeSeqIsRefusedBeforeAnythingIsSent() {
    try (ParleyClient ann = client("ann")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ann.markRead("sdk-bad", -1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
    }
  }
}
