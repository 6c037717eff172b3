package io.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ReadPosition;
import io.parley.client.Typing;
import io.parley.protocol.types.RoomInfo;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
  void aNegativeSeqIsRefusedBeforeAnythingIsSent() {
    try (ParleyClient ann = client("ann")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ann.markRead("sdk-bad", -1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
    }
  }
}
