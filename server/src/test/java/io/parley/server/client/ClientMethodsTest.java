package io.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionState;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyException;
import io.parley.client.PresenceChange;
import io.parley.client.RpcErrorException;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Methods;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.RoomParams;
import io.parley.server.chat.WireTime;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every typed method of the SDK, the generic and raw calls, and error replies, against the real server. */
@Timeout(60)
class ClientMethodsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static <T> T get(CompletableFuture<T> future) {
    return future.orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static ParleyClient client(String name) {
    ParleyClient client = ParleyClient.builder().endpoint(server.wsUri()).name(name)
        .callTimeout(Duration.ofSeconds(10)).build();
    HelloResult hello = get(client.connect());
    assertThat(hello.user()).isEqualTo(name);
    assertThat(hello.protocol()).isEqualTo("parley/1.1");
    return client;
  }

  /**
   * A history page is capped at about 1 MiB: {@code historyPage} says when the cap cut it, and
   * paging on with {@code before} = the first seq visits every message once.
   */
  @Test
  void historyPageSaysWhenTheByteCapCutItAndPagingOnSeesEverything() {
    try (ParleyClient alice = client("alice")) {
      get(alice.join("big-sdk"));
      List<CompletableFuture<Message>> sends = new ArrayList<>();
      for (int i = 1; i <= 300; i++) {
        sends.add(alice.send("big-sdk", i + "y".repeat(3_990)));
      }
      sends.forEach(ClientMethodsTest::get);
      List<Message> seen = new ArrayList<>();
      HistoryResult page = get(alice.historyPage(new HistoryParams("big-sdk", null, null, 500)));
      assertThat(page.truncated()).isTrue();
      assertThat(page.messages()).hasSizeLessThan(300);
      for (int pages = 0; ; pages++) {
        assertThat(pages).as("pages read").isLessThan(10);
        seen.addAll(0, page.messages());
        if (!page.truncated()) {
          break;
        }
        long first = page.messages().get(0).seq();
        page = get(alice.historyPage(new HistoryParams("big-sdk", first, null, 500)));
      }
      assertThat(seen).extracting(Message::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    }
  }

  /**
   * Recovery past the 1 MiB caps: joining with {@code since} 0 a room of 800 messages of 4,000
   * characters gets a truncated {@code missed}, then history pages that are themselves cut; the
   * SDK pages on until every message is delivered once, in order.
   */
  @Test
  void joinWithSinceDeliversEverythingPastTruncatedPages() {
    try (ParleyClient alice = client("alice"); ParleyClient bob = client("bob")) {
      get(alice.join("big-recovery"));
      List<CompletableFuture<Message>> sends = new ArrayList<>();
      for (int i = 1; i <= 800; i++) {
        sends.add(alice.send("big-recovery", i + "w".repeat(3_990)));
      }
      sends.forEach(ClientMethodsTest::get);
      List<Long> seen = new CopyOnWriteArrayList<>();
      JoinedRoom room = get(bob.join("big-recovery", 0));
      room.onMessage(m -> seen.add(m.seq()));
      assertThat(room.joinResult().truncated()).isTrue();
      Recorder.await(() -> seen.size() >= 800, () -> "bob saw " + seen.size() + " of 800");
      assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 800).boxed().toList());
    }
  }

  @Test
  void everyTypedMethodWorks() {
    try (ParleyClient alice = client("alice"); ParleyClient bob = client("bob")) {
      assertThat(alice.state()).isEqualTo(ConnectionState.OPEN);
      assertThat(alice.user()).isEqualTo("alice");
      assertThat(get(alice.echo("{ \"a\": [1, \"two\", null] }"))).as("compact JSON text, nulls kept")
          .isEqualTo("{\"a\":[1,\"two\",null]}");

      JoinedRoom room = get(alice.join("methods"));
      assertThat(room.name()).isEqualTo("methods");
      assertThat(room.joinResult().members()).containsExactly("alice");
      List<PresenceChange> presence = new CopyOnWriteArrayList<>();
      room.onPresence(presence::add);
      List<Message> seen = new CopyOnWriteArrayList<>();
      room.onMessage(seen::add);

      JoinedRoom bobs = get(bob.join("methods"));
      assertThat(get(alice.members("methods"))).containsExactly("alice", "bob");

      Instant beforeSend = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Message sent = get(alice.send("methods", "hello bob"));
      assertThat(sent.time()).as("the stored time as an Instant").isBetween(beforeSend, Instant.now());
      assertThat(sent.ts()).as("the wire text as the server wrote it").isEqualTo(WireTime.format(sent.time()));
      assertThat(sent.seq()).isEqualTo(1);
      assertThat(sent.from()).isEqualTo("alice");
      assertThat(sent.clientId()).as("the SDK always attaches a clientId").isNotBlank();
      Message again = get(alice.send("methods", "hello bob", sent.clientId()));
      assertThat(again).as("same clientId: the first message, nothing new stored").isEqualTo(sent);
      Message second = get(bobs.send("hi alice"));
      assertThat(second.seq()).isEqualTo(2);

      assertThat(get(alice.history(new HistoryParams("methods", null, null, null))))
          .extracting(Message::text).containsExactly("hello bob", "hi alice");
      assertThat(get(alice.history(new HistoryParams("methods", null, 1L, 10))))
          .extracting(Message::seq).containsExactly(2L);

      List<BroadcastNote> notes = new CopyOnWriteArrayList<>();
      bob.onBroadcast(notes::add);
      assertThat(get(alice.broadcast("maintenance at noon"))).isGreaterThanOrEqualTo(2);
      Recorder.await(() -> !notes.isEmpty(), () -> "no broadcast reached bob");
      assertThat(notes.get(0).from()).isEqualTo("alice");
      assertThat(notes.get(0).text()).isEqualTo("maintenance at noon");

      assertThat(JsonParser.parseString(get(alice.discover())).getAsJsonObject().getAsJsonArray("methods")).isNotEmpty();

      get(bobs.leave());
      Recorder.await(() -> presence.size() >= 2, () -> "presence seen: " + presence);
      assertThat(presence).containsExactly(new PresenceChange("methods", "bob", true),
          new PresenceChange("methods", "bob", false));
      Recorder.await(() -> seen.size() >= 2, () -> "messages seen: " + seen);
      assertThat(seen).extracting(Message::seq).containsExactly(1L, 2L);
      assertThat(room.lastSeq()).isEqualTo(2);

      HelloResult renamed = get(bob.hello("robert"));
      assertThat(renamed.user()).isEqualTo("robert");
      assertThat(bob.user()).isEqualTo("robert");
    }
  }

  @Test
  void genericAndRawCalls() {
    try (ParleyClient carol = client("carol")) {
      get(carol.join("generic"));
      assertThat(get(carol.call(Methods.MEMBERS, new RoomParams("generic"))).members()).containsExactly("carol");
      assertThat(get(carol.call("room.members", "{\"room\":\"generic\"}"))).isEqualTo("{\"room\":\"generic\",\"members\":[\"carol\"]}");
      JsonElement stored = JsonParser.parseString(get(carol.call("chat.send", "{\"room\":\"generic\",\"text\":\"raw\"}")));
      assertThat(stored.getAsJsonObject().get("clientId").getAsString())
          .as("raw sends get a clientId too").isNotBlank();
      assertThatThrownBy(() -> carol.call("echo", "{\"a\":1,\"a\":2}")).as("strict JSON, checked at once")
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("params");
      assertThatThrownBy(() -> carol.echo("[1")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> carol.echo("42")).as("echo takes an object or an array")
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void errorRepliesCarryCodeAndData() {
    try (ParleyClient dave = client("dave")) {
      assertThatThrownBy(() -> get(dave.send("not-joined", "hi")))
          .isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(RpcErrorException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
      assertThatThrownBy(() -> get(dave.call("no.such", null)))
          .cause().isInstanceOfSatisfying(RpcErrorException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND));
      assertThatThrownBy(() -> get(dave.call("chat.history", "{\"room\":\"x\",\"limit\":0}")))
          .cause().isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data()).isEqualTo("{\"field\":\"limit\"}");
            assertThat(e).isInstanceOf(ParleyException.class);
          });
      assertThatThrownBy(() -> dave.join("bad room!")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> dave.send("room", "")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closeIsIdempotentAndFailsLaterCalls() {
    ParleyClient erin = client("erin");
    JoinedRoom room = get(erin.join("closing"));
    Recorder recorder = new Recorder();
    room.messages().subscribe(recorder);
    erin.close();
    erin.close();
    Recorder.await(recorder::isComplete, () -> "stream did not complete on close");
    assertThat(erin.state()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(() -> get(erin.echo("[1]")))
        .cause().isInstanceOf(ConnectionClosedException.class);
  }
}
