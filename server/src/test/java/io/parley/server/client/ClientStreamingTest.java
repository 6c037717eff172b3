package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.StreamOverflowException;
import io.parley.protocol.types.Message;
import io.parley.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A room's messages as a Flow stream and as a listener: order, backpressure, overflow, threads. */
@Timeout(60)
class ClientStreamingTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ParleyClient client(String name, int streamBuffer) {
    ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).name(name).streamBuffer(streamBuffer).build();
    get(client.connect());
    return client;
  }

  @Test
  void thousandMessagesArriveInOrderOnTheEventThread() {
    try (ParleyClient reader = client("reader", 1024); ParleyClient writer = client("writer", 1024)) {
      JoinedRoom room = get(reader.join("stream"));
      Recorder subscriber = new Recorder();
      room.messages().subscribe(subscriber);
      List<Long> heard = new CopyOnWriteArrayList<>();
      room.onMessage(m -> heard.add(m.seq()));
      get(writer.join("stream"));
      List<CompletableFuture<Message>> sends = new ArrayList<>();
      for (int i = 1; i <= 1000; i++) {
        sends.add(writer.send("stream", "message " + i));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
      subscriber.awaitMessages(1000);
      subscriber.assertSeqRun(1000);
      Recorder.await(() -> heard.size() >= 1000, () -> "listener heard " + heard.size());
      assertThat(heard).isEqualTo(subscriber.seqs());
      assertThat(subscriber.messages.get(0).text()).isEqualTo("message 1");
      assertThat(subscriber.threads).singleElement().asString().startsWith("parley-client-events-");
      assertThat(room.lastSeq()).isEqualTo(1000);
    }
  }

  @Test
  void aSubscriberThatFallsBehindIsCancelledAndOthersGoOn() {
    try (ParleyClient reader = client("slowpoke", 8); ParleyClient writer = client("pusher", 8)) {
      JoinedRoom room = get(reader.join("overflow"));
      List<Message> first = new CopyOnWriteArrayList<>();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      room.messages().subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(2);
        }

        @Override
        public void onNext(Message item) {
          first.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
          errors.add(throwable);
        }

        @Override
        public void onComplete() {}
      });
      Recorder fast = new Recorder();
      room.messages().subscribe(fast);
      get(writer.join("overflow"));
      for (int i = 1; i <= 40; i++) {
        get(writer.send("overflow", "m" + i));
      }
      fast.awaitMessages(40);
      fast.assertSeqRun(40);
      Recorder.await(() -> !errors.isEmpty(), () -> "the slow subscriber got no error");
      assertThat(errors.get(0)).isInstanceOf(StreamOverflowException.class);
      assertThat(first).extracting(Message::seq).containsExactly(1L, 2L);
    }
  }

  @Test
  void messagesSentRightAfterTheJoinWaitForTheFirstSubscriber() {
    try (ParleyClient reader = client("late", 64); ParleyClient writer = client("early", 64)) {
      JoinedRoom room = get(reader.join("retained"));
      get(writer.join("retained"));
      for (int i = 1; i <= 5; i++) {
        get(writer.send("retained", "m" + i));
      }
      Recorder.await(() -> room.lastSeq() == 5, () -> "not delivered yet: " + room.lastSeq());
      Recorder late = new Recorder();
      room.messages().subscribe(late);
      late.awaitMessages(5);
      late.assertSeqRun(5);
    }
  }
}
