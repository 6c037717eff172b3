package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.protocol.types.Message;
import io.parley.server.testing.ChatText;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SDK offers permessage-deflate unless built with {@code compression(false)}: the same chat,
 * both ways between two clients, through a byte-counting proxy, takes fewer bytes on the wire
 * with it than without, and every message arrives intact either way.
 */
@Timeout(60)
class ClientCompressionTest {
  private static final int MESSAGES = 40;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Bytes both ways for the same conversation, with the SDK's compression on or off. */
  private record Traffic(long upstream, long downstream, List<String> requests, List<String> answers) {
    long total() {
      return upstream + downstream;
    }
  }

  private static Traffic chat(boolean compression, String room) throws Exception {
    List<String> texts = new ArrayList<>();
    Random random = new Random(19);
    for (int i = 0; i < MESSAGES; i++) {
      texts.add(ChatText.sentence(random, 200));
    }
    try (CutProxy proxy = new CutProxy(server.port());
        ParleyClient ann = client(proxy, "ann", compression);
        ParleyClient bob = client(proxy, "bob", compression)) {
      JoinedRoom annRoom = get(ann.join(room));
      JoinedRoom bobRoom = get(bob.join(room));
      List<Message> annSaw = new CopyOnWriteArrayList<>();
      List<Message> bobSaw = new CopyOnWriteArrayList<>();
      CountDownLatch all = new CountDownLatch(2 * MESSAGES);
      annRoom.onMessage(m -> {
        annSaw.add(m);
        all.countDown();
      });
      bobRoom.onMessage(m -> {
        bobSaw.add(m);
        all.countDown();
      });
      for (int i = 0; i < MESSAGES; i++) {
        get((i % 2 == 0 ? annRoom : bobRoom).send(texts.get(i)));
      }
      assertThat(all.await(20, TimeUnit.SECONDS)).as("both saw every message").isTrue();
      assertThat(annSaw).extracting(Message::text).containsExactlyElementsOf(texts);
      assertThat(bobSaw).extracting(Message::text).containsExactlyElementsOf(texts);
      assertThat(annSaw).extracting(Message::from).containsOnly("ann", "bob");
      return new Traffic(proxy.upstream(), proxy.downstream(), List.copyOf(proxy.requests()),
          List.copyOf(proxy.answers()));
    }
  }

  private static ParleyClient client(CutProxy proxy, String name, boolean compression) {
    ParleyClient client = ParleyClient.builder().endpoint(proxy.wsUri()).name(name).compression(compression)
        .callTimeout(Duration.ofSeconds(10)).build();
    get(client.connect());
    return client;
  }

  @Test
  void compressionIsOfferedByDefaultAndSavesBytesBothWays() throws Exception {
    Traffic squeezed = chat(true, "squeezed");
    Traffic plain = chat(false, "plain");

    assertThat(squeezed.requests()).hasSize(2).allMatch(r -> r.contains("permessage-deflate"));
    assertThat(squeezed.answers()).allMatch(a -> a.startsWith("HTTP/1.1 101") && a.contains("permessage-deflate"));
    assertThat(plain.requests()).hasSize(2).noneMatch(r -> r.contains("permessage-deflate"));
    assertThat(plain.answers()).noneMatch(a -> a.contains("permessage-deflate"));

    assertThat(squeezed.upstream()).as("client to server").isLessThan(plain.upstream());
    assertThat(squeezed.downstream()).as("server to client").isLessThan(plain.downstream());
    assertThat(squeezed.total()).as("both ways: %s vs %s", squeezed, plain).isLessThan(plain.total() * 3 / 4);
  }
}
