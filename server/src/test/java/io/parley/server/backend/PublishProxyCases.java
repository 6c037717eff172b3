package io.parley.server.backend;

import static io.parley.server.backend.ConnectProxyTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.protocol.ErrorCodes;
import io.parley.server.config.ProxySettings;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import io.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The publish proxy (#18) against a real backend on loopback: allow, rewrite, refuse, timeout,
 * the order of one session's sends, and a slow room that holds up no other room. Run on each
 * store by a subclass.
 */
@Timeout(120)
abstract class PublishProxyCases {
  static final Duration TIMEOUT = Duration.ofMillis(800);

  private static AppBackend backend;
  private static TestServer server;

  static void start(Store store) throws Exception {
    backend = new AppBackend(null);
    ProxySettings proxies = ProxySettings.NONE.withPublish(backend.url("/publish")).withTimeout(TIMEOUT);
    try {
      server = TestServer.start(store, cfg -> cfg.toBuilder().proxies(proxies).build());
    } catch (RuntimeException | Error e) {
      backend.close(); // e.g. PostgreSQL not there: the tests are skipped
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    backend.close();
  }

  @BeforeEach
  void allowEverything() {
    backend.onPublish(body -> AppBackend.Reply.ok("{}"));
  }

  @Test
  void allowedSendsAreStoredAsSentAndTheBackendIsToldWhoSentWhatWhere() {
    try (WsClient ann = server.member("ann", "allow")) {
      JsonObject message = ann.result("chat.send", "{\"room\":\"allow\",\"text\":\"hello\",\"clientId\":\"c-1\"}");
      assertThat(message.get("text").getAsString()).isEqualTo("hello");
      AppBackend.Received request = last("allow");
      assertThat(request.body().toString())
          .isEqualTo("{\"user\":\"ann\",\"room\":\"allow\",\"text\":\"hello\",\"clientId\":\"c-1\"}");
      assertThat(request.problem()).isNull(); // timestamp, and no signature without a secret
      assertThat(texts(ann, "allow")).containsExactly("hello");
    }
  }

  @Test
  void aRewrittenTextIsStoredAndDeliveredInsteadOfTheSentOne() {
    backend.onPublish(body -> AppBackend.Reply.ok("{\"text\":\"" + body.get("text").getAsString().replace("darn", "****")
        + "\"}"));
    try (WsClient ann = server.member("ann", "rewrite"); WsClient bob = server.member("bob", "rewrite")) {
      JsonObject message = ann.result("chat.send", "{\"room\":\"rewrite\",\"text\":\"oh darn\"}");
      assertThat(message.get("text").getAsString()).isEqualTo("oh ****");
      JsonObject delivered = bob.awaitNotification("chat.message");
      assertThat(delivered.get("text").getAsString()).isEqualTo("oh ****");
      assertThat(texts(bob, "rewrite")).containsExactly("oh ****");
    }
  }

  @Test
  void aRefusalIsMinus32006AndNothingIsStored() {
    backend.onPublish(body -> AppBackend.Reply.refuse("no shouting"));
    try (WsClient ann = server.member("ann", "refuse")) {
      JsonObject reply = ann.call("chat.send", "{\"room\":\"refuse\",\"text\":\"HEY\"}");
      assertCode(reply, ErrorCodes.REJECTED);
      assertThat(reply.getAsJsonObject("error").getAsJsonObject("data").get("reason").getAsString())
          .isEqualTo("no shouting");
      assertCode(ann.call("dm.send", "{\"to\":\"bob\",\"text\":\"HEY\"}"), ErrorCodes.REJECTED);
      assertThat(last(null).body().get("to").getAsString()).isEqualTo("bob");
      assertThat(texts(ann, "refuse")).isEmpty();
    }
    String metrics = server.get("/metrics").body();
    assertThat(metrics).containsPattern("parley_proxy_calls_total\\{outcome=\"refused\",proxy=\"publish\"[^}]*} [1-9]");
    assertThat(metrics).contains("parley_proxy_calls_total{outcome=\"rewritten\",proxy=\"publish\"");
  }

  @Test
  void aRepeatedClientIdIsAnsweredWithTheStoredMessageWithoutAskingTheBackend() {
    try (WsClient ann = server.member("ann", "again")) {
      JsonObject first = ann.result("chat.send", "{\"room\":\"again\",\"text\":\"once\",\"clientId\":\"c-again\"}");
      JsonObject dm = ann.result("dm.send", "{\"to\":\"bob\",\"text\":\"once\",\"clientId\":\"c-again-dm\"}");
      int asked = backend.received("/publish").size();
      // The backend now refuses everything, then fails: a retry of a stored send is not its business.
      backend.onPublish(body -> AppBackend.Reply.refuse("no duplicates"));
      JsonObject again = ann.result("chat.send", "{\"room\":\"again\",\"text\":\"once\",\"clientId\":\"c-again\"}");
      assertThat(again.get("seq")).isEqualTo(first.get("seq"));
      backend.onPublish(body -> new AppBackend.Reply(500, "", 0, false));
      JsonObject dmAgain = ann.result("dm.send", "{\"to\":\"bob\",\"text\":\"once\",\"clientId\":\"c-again-dm\"}");
      assertThat(dmAgain.get("seq")).isEqualTo(dm.get("seq"));
      assertThat(dmAgain.get("to").getAsString()).isEqualTo("bob");
      assertThat(backend.received("/publish")).hasSize(asked);
      assertThat(texts(ann, "again")).containsExactly("once");
      // A new clientId is vetted as before.
      assertCode(ann.call("chat.send", "{\"room\":\"again\",\"text\":\"twice\",\"clientId\":\"c-new\"}"),
          ErrorCodes.UNAVAILABLE);
    }
  }

  @Test
  void aChatSendToAConversationTellsTheBackendTheRecipientAndANonParticipantsTextNeverReachesIt() {
    try (WsClient ann = server.member("ann", "dm-setup"); WsClient cy = server.member("cy", "dm-setup")) {
      String room = ann.result("dm.send", "{\"to\":\"dee\",\"text\":\"hi dee\"}").get("room").getAsString();
      ann.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"via chat.send\"}");
      assertThat(last(room).body().get("to").getAsString()).isEqualTo("dee");
      int asked = backend.received("/publish").size();
      JsonObject refused = cy.call("chat.send", "{\"room\":\"" + room + "\",\"text\":\"secret of cy\"}");
      assertThat(refused.has("error")).as("%s", refused).isTrue();
      assertThat(backend.received("/publish")).hasSize(asked);
    }
  }

  @Test
  void theRestRouteGoesThroughTheProxyToo() {
    backend.onPublish(body -> body.get("text").getAsString().contains("spam") ? AppBackend.Reply.refuse("spam")
        : AppBackend.Reply.ok("{\"text\":\"[checked] " + body.get("text").getAsString() + "\"}"));
    var refused = server.post("/api/rooms/rest/messages", "{\"text\":\"buy spam\",\"from\":\"shop\"}");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("spam");
    var stored = server.post("/api/rooms/rest/messages", "{\"text\":\"hi\",\"from\":\"shop\"}");
    assertThat(stored.statusCode()).isEqualTo(201);
    assertThat(json(stored.body()).getAsJsonObject().get("text").getAsString()).isEqualTo("[checked] hi");
    assertThat(last("rest").body().get("user").getAsString()).isEqualTo("shop");
    try (WsClient ann = server.member("ann", "rest")) {
      assertThat(texts(ann, "rest")).containsExactly("[checked] hi");
    }
  }

  @Test
  void aBackendThatDoesNotAnswerIsMinus32005AndNothingIsStoredEvenWhenItAnswersLater() throws Exception {
    backend.onPublish(body -> AppBackend.Reply.held(AppBackend.Reply.ok("{}")));
    try (WsClient ann = server.member("ann", "timeout")) {
      long start = System.nanoTime();
      assertCode(ann.call("chat.send", "{\"room\":\"timeout\",\"text\":\"anyone?\"}"), ErrorCodes.UNAVAILABLE);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(TIMEOUT.toMillis() + 1_000);
      int answered = backend.answered();
      backend.release();
      assertThat(backend.await(() -> backend.answered() > answered, Duration.ofSeconds(10))).isTrue();
      backend.onPublish(body -> AppBackend.Reply.ok("{}"));
      ann.result("chat.send", "{\"room\":\"timeout\",\"text\":\"later\"}");
      assertThat(texts(ann, "timeout")).containsExactly("later");
    }
  }

  @Test
  void anInvalidRewriteOrAnErrorStoresNothing() {
    try (WsClient ann = server.member("ann", "invalid")) {
      backend.onPublish(body -> AppBackend.Reply.ok("{\"text\":\"\"}"));
      assertCode(ann.call("chat.send", "{\"room\":\"invalid\",\"text\":\"x\"}"), ErrorCodes.UNAVAILABLE);
      backend.onPublish(body -> new AppBackend.Reply(500, "", 0, false));
      assertCode(ann.call("chat.send", "{\"room\":\"invalid\",\"text\":\"x\"}"), ErrorCodes.UNAVAILABLE);
      assertThat(texts(ann, "invalid")).isEmpty();
    }
  }

  @Test
  void aSessionsSendsInARoomAreStoredInTheOrderSentWhenTheFirstAnswerIsSlowest() {
    // The first send's answer comes last; the later ones must still be stored after it.
    backend.onPublish(body -> AppBackend.Reply.ok("{}").after(body.get("text").getAsString().equals("1") ? 300 : 0));
    try (WsClient ann = server.member("ann", "order")) {
      for (int i = 1; i <= 5; i++) {
        ann.send("{\"jsonrpc\":\"2.0\",\"id\":\"o" + i + "\",\"method\":\"chat.send\","
            + "\"params\":{\"room\":\"order\",\"text\":\"" + i + "\"}}");
      }
      for (int i = 1; i <= 5; i++) {
        String id = "o" + i;
        JsonObject reply = ann.await(o -> o.has("id") && o.get("id").isJsonPrimitive()
            && id.equals(o.get("id").getAsString()));
        assertThat(reply.getAsJsonObject("result").get("seq").getAsLong()).isEqualTo(i);
      }
      assertThat(texts(ann, "order")).containsExactly("1", "2", "3", "4", "5");
    }
  }

  @Test
  void sendsWaitingForASlowBackendInOneRoomDoNotHoldUpAnotherRoom() {
    // 50 ms per answer in the slow room, at once elsewhere; and the slow room's first answer is
    // held until the other room's sends are all answered, so every slow send waits behind it
    // (its lane keeps the order) the whole time: no race between the two rooms' progress.
    CountDownLatch firstSlow = new CountDownLatch(1);
    backend.onPublish(body -> !"slow".equals(body.get("room").getAsString()) ? AppBackend.Reply.ok("{}")
        : "slow 0".equals(body.get("text").getAsString()) ? AppBackend.Reply.heldBy(firstSlow, AppBackend.Reply.ok("{}"))
        : AppBackend.Reply.ok("{}").after(50));
    int slowSends = 200;
    int fastSends = 20;
    try (WsClient ann = server.member("ann", "slow"); WsClient bob = server.member("bob", "fast")) {
      for (int i = 0; i < slowSends; i++) {
        ann.send("{\"jsonrpc\":\"2.0\",\"id\":\"s" + i + "\",\"method\":\"chat.send\","
            + "\"params\":{\"room\":\"slow\",\"text\":\"slow " + i + "\"}}");
      }
      for (int i = 0; i < fastSends; i++) {
        bob.send("{\"jsonrpc\":\"2.0\",\"id\":\"f" + i + "\",\"method\":\"chat.send\","
            + "\"params\":{\"room\":\"fast\",\"text\":\"fast " + i + "\"}}");
      }
      for (int i = 0; i < fastSends; i++) {
        String id = "f" + i;
        JsonObject reply = bob.await(o -> o.has("id") && id.equals(o.get("id").getAsString()));
        assertThat(reply.has("result")).as("%s", reply).isTrue();
      }
      assertThat(texts(bob, "fast")).hasSize(fastSends);
      firstSlow.countDown();
      // The slow room's sends are then answered in the order sent. The held first one may have
      // passed the proxy timeout meanwhile on a loaded machine (-32005, nothing stored): the
      // others are stored after it all the same.
      long expectedSeq = 1;
      List<String> stored = new ArrayList<>();
      for (int i = 0; i < slowSends; i++) {
        String id = "s" + i;
        JsonObject reply = ann.await(o -> o.has("id") && id.equals(o.get("id").getAsString()), Duration.ofSeconds(60));
        if (i == 0 && reply.has("error")) {
          assertCode(reply, ErrorCodes.UNAVAILABLE);
          continue;
        }
        assertThat(reply.getAsJsonObject("result").get("seq").getAsLong()).as("%s", reply).isEqualTo(expectedSeq++);
        stored.add("slow " + i);
      }
      assertThat(texts(ann, "slow")).containsExactlyElementsOf(stored);
    } finally {
      firstSlow.countDown();
    }
  }

  private static AppBackend.Received last(String room) {
    List<AppBackend.Received> all = backend.received("/publish").stream()
        .filter(r -> room == null || room.equals(r.body().get("room").getAsString())).toList();
    return all.get(all.size() - 1);
  }

  private static List<String> texts(WsClient client, String room) {
    JsonObject page = client.result("chat.history", "{\"room\":\"" + room + "\",\"limit\":500}");
    List<String> texts = new ArrayList<>();
    for (JsonElement m : page.getAsJsonArray("messages")) {
      texts.add(m.getAsJsonObject().get("text").getAsString());
    }
    return texts;
  }

  static JsonElement json(String text) {
    return JsonParser.parseString(text);
  }
}
