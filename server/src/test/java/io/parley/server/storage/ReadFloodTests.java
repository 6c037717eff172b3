package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A flood of {@code chat.history} reads cannot make sends fail: appends have database
 * connections of their own, so while several sockets pipeline large history pages as fast as
 * they can, every send of a victim is acknowledged (never {@code -32005}) and storage is never
 * marked down. The flood's own calls may be refused; they are only required to be answered.
 */
abstract class ReadFloodTests extends SharedServerTests {
  private static final int FLOODERS = 4;
  private static final int READS_EACH = 100;
  private static final int SENDS = 100;
  private static final String BIG_TEXT = "x".repeat(1_000);

  @Test
  void sendsAreAcknowledgedWhileReadsFlood() throws Exception {
    String room = room("flood");
    fill(room, 300, i -> BIG_TEXT);
    List<RpcSocket> flooders = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(FLOODERS);
    try (RpcSocket victim = member("victim", room)) {
      List<CompletableFuture<List<String>>> floods = new ArrayList<>();
      for (int f = 0; f < FLOODERS; f++) {
        RpcSocket flooder = connect("flooder" + f);
        flooders.add(flooder);
        floods.add(CompletableFuture.supplyAsync(() -> flood(flooder, room), pool));
      }
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < SENDS; i++) {
        sent.add(victim.send("chat.send", Wire.obj("room", room, "text", "victim " + i)));
      }
      for (String id : sent) {
        JsonObject reply = victim.reply(id).json();
        assertThat(reply.has("error")).as("reply to the victim's send %s: %s", id, reply).isFalse();
      }
      for (int f = 0; f < FLOODERS; f++) {
        for (String id : floods.get(f).get(60, TimeUnit.SECONDS)) {
          flooders.get(f).reply(id); // answered, result or refusal
        }
      }
      assertThat(server.get("/ready").statusCode()).as("GET /ready after the flood").isEqualTo(200);
      assertThat(victim.call("chat.send", Wire.obj("room", room, "text", "after")).has("seq")).isTrue();
    } finally {
      pool.shutdownNow();
      flooders.forEach(RpcSocket::close);
    }
  }

  /** Pipelines the flooder's history calls without waiting; returns their ids. */
  private static List<String> flood(RpcSocket flooder, String room) {
    List<String> ids = new ArrayList<>(READS_EACH);
    for (int i = 0; i < READS_EACH; i++) {
      ids.add(flooder.send("chat.history", Wire.obj("room", room, "limit", 500)));
    }
    return ids;
  }
}
