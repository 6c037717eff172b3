package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code chat.send} against the store: a repeated {@code clientId} from the same user in the
 * same room returns the first stored message and stores (and delivers) nothing new; and many
 * connections sending to one room at once get gap-free, duplicate-free seqs, delivered to every
 * member in seq order.
 */
abstract class SendingTests extends SharedServerTests {
  private static final int SENDERS = 20;
  private static final int EACH = 100;

  @Test
  void repeatedClientIdReturnsTheFirstMessageAndStoresNothing() {
    String room = room("idem");
    try (RpcSocket alice = member("alice", room); RpcSocket bob = member("bob", room)) {
      JsonObject first = alice.call("chat.send", Wire.obj("room", room, "text", "hi", "clientId", "c-1"));
      assertThat(first.get("clientId").getAsString()).isEqualTo("c-1");
      assertThat(bob.nextChatMessage().json()).isEqualTo(first);
      assertThat(alice.nextChatMessage().json()).isEqualTo(first);

      JsonObject again = alice.call("chat.send", Wire.obj("room", room, "text", "hi", "clientId", "c-1"));
      JsonObject otherText = alice.call("chat.send", Wire.obj("room", room, "text", "hi!!", "clientId", "c-1"));
      assertThat(again).isEqualTo(first);
      assertThat(otherText).isEqualTo(first);

      JsonObject next = alice.call("chat.send", Wire.obj("room", room, "text", "next"));
      assertThat(next.get("seq").getAsLong()).isEqualTo(first.get("seq").getAsLong() + 1);
      assertThat(bob.nextChatMessage().json()).as("bob's chat.message after the repeats").isEqualTo(next);
      assertThat(alice.nextChatMessage().json()).as("alice's chat.message after the repeats").isEqualTo(next);
      assertThat(Wire.history(bob, room, null, null, null)).containsExactly(first, next);
    }
  }

  /** clientId length counts code points: 128 emoji (256 UTF-16 units) are stored, 129 refused. */
  @Test
  void clientIdOf128EmojiIsStoredAnd129Refused() {
    String room = room("idem-emoji");
    String face = "\uD83D\uDE00";
    try (RpcSocket alice = member("alice", room)) {
      JsonObject first = alice.call("chat.send", Wire.obj("room", room, "text", "a", "clientId", face.repeat(128)));
      assertThat(first.get("clientId").getAsString()).isEqualTo(face.repeat(128));
      JsonObject again = alice.call("chat.send", Wire.obj("room", room, "text", "b", "clientId", face.repeat(128)));
      assertThat(again).isEqualTo(first);
      JsonObject refused = alice.reply(alice.send("chat.send",
          Wire.obj("room", room, "text", "c", "clientId", face.repeat(129)))).json().getAsJsonObject("error");
      assertThat(refused.get("code").getAsInt()).isEqualTo(-32602);
      assertThat(refused.get("message").getAsString())
          .isEqualTo("clientId: expected 1-128 characters of valid Unicode without U+0000, got 129 characters");
    }
  }

  @Test
  void sameClientIdFromAnotherUserOrInAnotherRoomIsANewMessage() {
    String room = room("idem-users");
    String otherRoom = room("idem-rooms");
    try (RpcSocket alice = member("alice", room); RpcSocket bob = member("bob", room)) {
      alice.call("room.join", Wire.obj("room", otherRoom));
      JsonObject fromAlice = alice.call("chat.send", Wire.obj("room", room, "text", "a", "clientId", "shared"));
      JsonObject fromBob = bob.call("chat.send", Wire.obj("room", room, "text", "b", "clientId", "shared"));
      JsonObject elsewhere = alice.call("chat.send", Wire.obj("room", otherRoom, "text", "c", "clientId", "shared"));
      assertThat(fromBob.get("seq").getAsLong()).isEqualTo(fromAlice.get("seq").getAsLong() + 1);
      assertThat(fromBob.get("from").getAsString()).isEqualTo("bob");
      assertThat(fromBob.get("text").getAsString()).isEqualTo("b");
      assertThat(elsewhere.get("room").getAsString()).isEqualTo(otherRoom);
      assertThat(elsewhere.get("seq").getAsLong()).isEqualTo(1);
      assertThat(elsewhere.get("text").getAsString()).isEqualTo("c");
      assertThat(Wire.history(alice, room, null, null, null)).containsExactly(fromAlice, fromBob);
      assertThat(Wire.history(alice, otherRoom, null, null, null)).containsExactly(elsewhere);
    }
  }

  /** Repeats in flight at the same time (likely in one group commit) still store one message. */
  @Test
  void pipelinedRepeatsOfOneClientIdStoreOneMessage() {
    String room = room("idem-pipelined");
    try (RpcSocket alice = member("alice", room)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(alice.send("chat.send", Wire.obj("room", room, "text", "once", "clientId", "burst")));
      }
      ids.add(alice.send("chat.send", Wire.obj("room", room, "text", "after")));
      List<JsonObject> results = ids.stream().map(alice::result).collect(Collectors.toList());
      JsonObject first = results.get(0);
      assertThat(first.get("seq").getAsLong()).isEqualTo(1);
      assertThat(results.subList(0, 10)).allSatisfy(r -> assertThat(r).isEqualTo(first));
      assertThat(results.get(10).get("seq").getAsLong()).isEqualTo(2);
      assertThat(alice.chatMessages(2)).containsExactly(first, results.get(10));
      assertThat(Wire.history(alice, room, null, null, null)).containsExactly(first, results.get(10));
    }
  }

  @Test
  void twentyConnectionsSendingAtOnceGetGapFreeSeqsDeliveredInOrder() throws Exception {
    String room = room("busy");
    int total = SENDERS * EACH;
    List<RpcSocket> senders = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    try (RpcSocket watcher = member("watcher", room)) {
      for (int s = 0; s < SENDERS; s++) {
        senders.add(member("sender-" + s, room));
      }
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<List<JsonObject>>> sending = new ArrayList<>();
      for (RpcSocket sender : senders) {
        sending.add(CompletableFuture.supplyAsync(() -> sendBurst(sender, room, go), pool));
      }
      go.countDown();
      List<JsonObject> results = new ArrayList<>();
      for (CompletableFuture<List<JsonObject>> f : sending) {
        results.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(Wire.runs(Wire.seqs(results).stream().sorted().collect(Collectors.toList())))
          .as("seqs of all %d results", total).isEqualTo(Wire.span(1, total));

      List<JsonObject> delivered = watcher.chatMessages(total);
      assertThat(Wire.runs(Wire.seqs(delivered))).as("seqs delivered to the watcher").isEqualTo(Wire.span(1, total));
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(results);
      for (int s = 0; s < SENDERS; s++) {
        assertThat(Wire.runs(Wire.seqs(senders.get(s).chatMessages(total))))
            .as("seqs delivered to sender-%d", s)
            .isEqualTo(Wire.span(1, total));
      }
      assertThat(Wire.wholeHistory(watcher, room)).isEqualTo(delivered);
    } finally {
      senders.forEach(RpcSocket::close);
      pool.shutdownNow();
    }
  }

  /** Waits for {@code go}, pipelines {@value #EACH} sends, then collects their results. */
  private static List<JsonObject> sendBurst(RpcSocket sender, String room, CountDownLatch go) {
    try {
      if (!go.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("no start signal");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      texts.add("burst " + i + " from " + Thread.currentThread().getName());
    }
    return sender.sendAll(room, texts);
  }
}
