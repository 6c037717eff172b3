package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What survives a server restart on the same store (for the embedded store: the same data
 * folder): every stored message, and the numbering, which continues at the next seq. A graceful
 * stop answers the sends in flight that it commits, stores every acknowledged one, and closes
 * connections with 1001. Each test runs its own server, since it restarts it.
 */
@Timeout(120)
abstract class DurabilityTests {
  private static final int GOING_AWAY = 1001;
  private static final int UNAVAILABLE = -32005;
  private static final int PIPELINED = 200;

  abstract TestServer.Store store();

  @Test
  void messagesSurviveARestartAndNumberingContinues() {
    TestServer server = TestServer.start(store());
    try {
      List<JsonObject> before;
      JsonObject viaHttp;
      try (RpcSocket alice = RpcSocket.open(server, "alice")) {
        alice.call("room.join", Wire.obj("room", "kept"));
        before = alice.sendAll("kept", List.of("one", "two", "three", "four", "five"));
        viaHttp = postMessage(server, "kept-http", "{\"text\":\"over http\",\"from\":\"bob\",\"clientId\":\"h-1\"}");
      }
      server = server.restart();
      try (RpcSocket alice = RpcSocket.open(server, "alice")) {
        assertThat(Wire.history(alice, "kept", null, null, null)).isEqualTo(before);
        assertThat(Wire.history(server, "kept-http", null, null, null)).containsExactly(viaHttp);
        JsonObject join = alice.call("room.join", Wire.obj("room", "kept", "since", 0));
        assertThat(join.get("seq").getAsLong()).isEqualTo(5);
        assertThat(Wire.objects(join.getAsJsonArray("missed"))).isEqualTo(before);
        JsonObject next = alice.call("chat.send", Wire.obj("room", "kept", "text", "six"));
        assertThat(next.get("seq").getAsLong()).isEqualTo(6);
        JsonObject repeat = postMessage(server, "kept-http",
            "{\"text\":\"over http\",\"from\":\"bob\",\"clientId\":\"h-1\"}");
        assertThat(repeat).as("a repeated clientId after the restart").isEqualTo(viaHttp);
        JsonObject nextHttp = postMessage(server, "kept-http", "{\"text\":\"again\"}");
        assertThat(nextHttp.get("seq").getAsLong()).isEqualTo(2);
      }
    } finally {
      server.close();
    }
  }

  /**
   * 200 pipelined sends, the server stopped while they are being answered: every send answered
   * with a result is stored with that result's seq, nothing is stored twice, the connection
   * closes with 1001, and retrying the rest with their clientIds after the restart completes the
   * set, each exactly once.
   */
  @Test
  void gracefulStopStoresEveryAcknowledgedSend() {
    TestServer server = TestServer.start(store());
    try {
      Map<String, String> clientIdOf = new HashMap<>();
      Map<String, JsonObject> replies;
      int closeCode;
      try (RpcSocket carol = RpcSocket.open(server, "carol")) {
        carol.call("room.join", Wire.obj("room", "draining"));
        String firstId = null;
        for (int i = 0; i < PIPELINED; i++) {
          String id = carol.send("chat.send", Wire.obj("room", "draining", "text", "t" + i, "clientId", "c" + i));
          clientIdOf.put(id, "c" + i);
          firstId = firstId == null ? id : firstId;
        }
        carol.reply(firstId); // the first send was answered: the server is busy with the burst
        server = server.restart();
        closeCode = carol.awaitClose();
        replies = carol.repliesSoFar();
      }
      assertThat(closeCode).as("close code on shutdown").isEqualTo(GOING_AWAY);

      Map<String, JsonObject> acknowledged = new HashMap<>();
      for (Map.Entry<String, String> sent : clientIdOf.entrySet()) {
        JsonObject reply = replies.get(sent.getKey());
        if (reply == null) {
          continue;
        }
        if (reply.has("error")) {
          assertThat(reply.getAsJsonObject("error").get("code").getAsInt()).as("error %s", reply)
              .isEqualTo(UNAVAILABLE);
        } else {
          acknowledged.put(sent.getValue(), reply.getAsJsonObject("result"));
        }
      }
      assertThat(acknowledged).isNotEmpty();
      System.out.printf("%s: of %d pipelined sends, %d acknowledged, %d answered -32005, %d unanswered%n",
          store(), PIPELINED, acknowledged.size(), replies.size() - 2 - acknowledged.size(),
          PIPELINED + 2 - replies.size());

      try (RpcSocket carol = RpcSocket.open(server, "carol")) {
        List<JsonObject> stored = Wire.wholeHistory(carol, "draining");
        assertStoredOnce(stored);
        Map<String, JsonObject> byClientId = new HashMap<>();
        stored.forEach(m -> byClientId.put(m.get("clientId").getAsString(), m));
        acknowledged.forEach((clientId, result) ->
            assertThat(byClientId.get(clientId)).as("stored message for acknowledged %s", clientId).isEqualTo(result));

        carol.call("room.join", Wire.obj("room", "draining"));
        List<String> retries = new ArrayList<>();
        for (int i = 0; i < PIPELINED; i++) {
          retries.add(carol.send("chat.send", Wire.obj("room", "draining", "text", "t" + i, "clientId", "c" + i)));
        }
        for (int i = 0; i < PIPELINED; i++) {
          JsonObject result = carol.result(retries.get(i));
          if (acknowledged.containsKey("c" + i)) {
            assertThat(result).as("retry of acknowledged c%d", i).isEqualTo(acknowledged.get("c" + i));
          }
        }
        List<JsonObject> all = Wire.wholeHistory(carol, "draining");
        assertStoredOnce(all);
        assertThat(all).hasSize(PIPELINED);
      }
    } finally {
      server.close();
    }
  }

  /** Seqs 1..n without a gap, each text and clientId once, and text matching clientId. */
  private static void assertStoredOnce(List<JsonObject> stored) {
    assertThat(Wire.runs(Wire.seqs(stored))).isEqualTo(Wire.span(1, stored.size()));
    List<String> clientIds = stored.stream().map(m -> m.get("clientId").getAsString()).toList();
    assertThat(clientIds).doesNotHaveDuplicates();
    assertThat(stored).allSatisfy(m -> assertThat("c" + m.get("text").getAsString().substring(1))
        .isEqualTo(m.get("clientId").getAsString()));
  }

  private static JsonObject postMessage(TestServer server, String room, String body) {
    HttpResponse<String> response = server.post("/api/rooms/" + room + "/messages", body);
    assertThat(response.statusCode()).as("POST %s: %s", response.uri(), response.body()).isEqualTo(201);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
