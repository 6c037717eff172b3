package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence right after a join. Once a member holds its {@code room.join} result it is a member,
 * so every later {@code room.joined} and {@code room.left} of the room must reach it. The server
 * switches a member to live delivery only after its join reply is queued; a notification sent in
 * between must not be lost. The window is short, so the scenario runs many times on a few
 * threads at once (on a busy machine the window is then hit every few dozen rounds).
 */
@Timeout(60)
class PresenceAfterJoinTest {
  private static final int THREADS = 6;
  private static final int ROUNDS = 20;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aMemberHoldingItsJoinResultGetsEveryLaterJoinAndLeave() throws Exception {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        runs.add(pool.submit(() -> {
          rounds(thread, failures);
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failures).as("rounds (of %d) where alice, holding her join result, did not get exactly "
        + "[room.joined bob, room.left bob] before the answer to her next request: a notification was lost, "
        + "or bob's room.joined came after his room.left", THREADS * ROUNDS).isEmpty();
  }

  private static void rounds(int thread, List<String> failures) {
    try (WsClient alice = server.connect(); WsClient bob = server.connect()) {
      alice.result("session.hello", "{\"name\":\"alice\"}");
      bob.result("session.hello", "{\"name\":\"bob\"}");
      for (int round = 0; round < ROUNDS; round++) {
        String room = "presence-" + thread + "-" + round;
        alice.result("room.join", "{\"room\":\"" + room + "\"}");
        bob.result("room.join", "{\"room\":\"" + room + "\"}");
        bob.result("room.leave", "{\"room\":\"" + room + "\"}");
        List<JsonElement> expected = List.of(
            JsonParser.parseString("{\"jsonrpc\":\"2.0\",\"method\":\"room.joined\",\"params\":{\"room\":\""
                + room + "\",\"user\":\"bob\"}}"),
            JsonParser.parseString("{\"jsonrpc\":\"2.0\",\"method\":\"room.left\",\"params\":{\"room\":\""
                + room + "\",\"user\":\"bob\"}}"));
        List<JsonElement> got = Wire.framesBeforeMarker(alice);
        if (!got.equals(expected)) {
          failures.add(room + ": got " + got);
        }
        alice.result("room.leave", "{\"room\":\"" + room + "\"}");
      }
    }
  }
}
