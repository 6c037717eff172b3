package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.protocol.CloseCodes;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reconnect and recovery against the real server: a restart on the same port and store, a cut of
 * only the subscriber's connection, a cut of the publisher's connection while its sends are in
 * flight, and a slow consumer closed with 1013. Each time the subscriber must see the room's seq
 * run without gap or duplicate, and each message must be stored once.
 */
@Timeout(90)
class ClientReconnectTest {
  private static final ReconnectPolicy FAST =
      ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(400));

  private static ParleyClient client(URI uri, String name, Recorder listener, int inFlight) {
    ParleyClient client = ParleyClient.builder().endpoint(uri).name(name).reconnect(FAST)
        .connectTimeout(Duration.ofSeconds(2)).callTimeout(Duration.ofSeconds(30))
        .maxCallsInFlight(inFlight).listener(listener).build();
    get(client.connect());
    return client;
  }

  /** Sends texts 1..n from a background thread, at most {@code window} unanswered; counts acks. */
  private static CompletableFuture<List<Message>> sendAll(ParleyClient publisher, String room, int n, int window,
      IntFunction<String> text, AtomicInteger acked) {
    return CompletableFuture.supplyAsync(() -> {
      List<Message> stored = new ArrayList<>();
      ArrayDeque<CompletableFuture<Message>> open = new ArrayDeque<>();
      for (int i = 1; i <= n; i++) {
        open.add(publisher.send(room, text.apply(i)).whenComplete((m, e) -> acked.incrementAndGet()));
        if (open.size() >= window) {
          stored.add(open.poll().join());
        }
      }
      open.forEach(f -> stored.add(f.join()));
      return stored;
    });
  }

  private static void assertStoredOnce(ParleyClient client, String room, int n, IntFunction<String> text) {
    List<Message> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<Message> page = get(client.history(new HistoryParams(room, null, after, 500)));
      if (page.isEmpty()) {
        break;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).seq();
    }
    assertThat(all).as("stored messages").hasSize(n);
    assertThat(new HashSet<>(all.stream().map(Message::text).toList()))
        .as("each text stored once").isEqualTo(new HashSet<>(IntStream.rangeClosed(1, n).mapToObj(text).toList()));
  }

  private static String small(int i) {
    return "m" + i;
  }

  @Test
  void serverRestartOnTheSamePortAndStore() {
    TestServer server = TestServer.start(TestServer.Store.EMBEDDED);
    Recorder sub = new Recorder();
    Recorder pub = new Recorder();
    try (ParleyClient subscriber = client(server.wsUri(), "sub", sub, 16);
        ParleyClient publisher = client(server.wsUri(), "pub", pub, 16)) {
      get(subscriber.join("restart")).messages().subscribe(sub);
      get(publisher.join("restart"));
      AtomicInteger acked = new AtomicInteger();
      CompletableFuture<List<Message>> sending = sendAll(publisher, "restart", 300, 8, ClientReconnectTest::small, acked);
      sub.awaitMessages(100);
      server = server.restartOnSamePort();
      List<Message> stored = sending.join();
      assertThat(stored).extracting(Message::seq).doesNotHaveDuplicates();
      sub.awaitMessages(300);
      sub.assertSeqRun(300);
      assertThat(sub.closeCodes).contains(CloseCodes.GOING_AWAY);
      assertThat(pub.events).anyMatch(e -> e.startsWith("reconnecting"));
      assertStoredOnce(publisher, "restart", 300, ClientReconnectTest::small);
    } finally {
      server.close();
    }
  }

  @Test
  void onlyTheSubscribersConnectionIsCutMidStream() throws Exception {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED); CutProxy proxy = new CutProxy(server.port())) {
      Recorder sub = new Recorder();
      try (ParleyClient subscriber = client(proxy.wsUri(), "sub", sub, 16);
          ParleyClient publisher = client(server.wsUri(), "pub", new Recorder(), 16)) {
        JoinedRoom room = get(subscriber.join("cut"));
        room.messages().subscribe(sub);
        get(publisher.join("cut"));
        CompletableFuture<List<Message>> sending =
            sendAll(publisher, "cut", 400, 8, ClientReconnectTest::small, new AtomicInteger());
        sub.awaitMessages(100);
        proxy.cut();
        sending.join();
        sub.awaitMessages(400);
        sub.assertSeqRun(400);
        assertThat(sub.closeCodes).as("the subscriber saw its connection drop").isNotEmpty();
        assertThat(sub.opens()).isGreaterThanOrEqualTo(2);
        assertThat(proxy.accepted()).isGreaterThanOrEqualTo(2);
        assertThat(room.lastSeq()).isEqualTo(400);
      }
    }
  }

  @Test
  void aSendWhoseReplyWasLostIsStoredOnce() throws Exception {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED); CutProxy proxy = new CutProxy(server.port())) {
      Recorder sub = new Recorder();
      Recorder pub = new Recorder();
      try (ParleyClient subscriber = client(server.wsUri(), "sub", sub, 16);
          ParleyClient publisher = client(proxy.wsUri(), "pub", pub, 32)) {
        get(subscriber.join("lost")).messages().subscribe(sub);
        get(publisher.join("lost"));
        AtomicInteger acked = new AtomicInteger();
        CompletableFuture<List<Message>> sending = sendAll(publisher, "lost", 400, 32, ClientReconnectTest::small, acked);
        Recorder.await(() -> acked.get() >= 150, () -> "acked " + acked.get());
        proxy.cut();
        List<Message> stored = sending.join();
        assertThat(stored).extracting(Message::seq).doesNotHaveDuplicates();
        assertThat(pub.events).anyMatch(e -> e.startsWith("reconnecting"));
        sub.awaitMessages(400);
        sub.assertSeqRun(400);
        assertStoredOnce(subscriber, "lost", 400, ClientReconnectTest::small);
      }
    }
  }

  @Test
  void aSlowConsumerClosedWith1013RecoversWithoutGap() throws Exception {
    int count = 1100;
    // Incompressible: the SDK compresses by default, and 4,000 x's would take a few bytes on the wire.
    IntFunction<String> big = i -> "m" + i + " " + noise(i, 4000);
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED, ClientReconnectTest::smallOutbound);
        CutProxy proxy = new CutProxy(server.port())) {
      Recorder sub = new Recorder();
      try (ParleyClient subscriber = client(proxy.wsUri(), "sub", sub, 16);
          ParleyClient publisher = client(server.wsUri(), "pub", new Recorder(), 16)) {
        get(subscriber.join("slow")).messages().subscribe(sub);
        get(publisher.join("slow"));
        proxy.pauseDownstream();
        sendAll(publisher, "slow", count, 16, big, new AtomicInteger()).join();
        proxy.resume();
        sub.awaitMessages(count);
        sub.assertSeqRun(count);
        assertThat(sub.closeCodes).as("close codes the subscriber saw").contains(CloseCodes.TRY_AGAIN_LATER);
        assertThat(sub.messages.get(count - 1).text()).isEqualTo(big.apply(count));
      }
    }
  }

  /** {@code length} characters of 64 kinds drawn at random from {@code seed}: about 6 bits each even compressed. */
  private static String noise(int seed, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    java.util.Random random = new java.util.Random(seed);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  /** The server's slow-consumer limit cut to 16 KiB of queued notifications. */
  private static ServerConfig smallOutbound(ServerConfig c) {
    return c.toBuilder().outboundLimit(16 * 1024).build();
  }
}
