package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One real server per test class, on the store the subclass names; each test works in rooms of
 * its own, so tests do not see each other's messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class SharedServerTests {
  private static final AtomicInteger ROOMS = new AtomicInteger();

  TestServer server;

  /** The store this class runs on. */
  abstract TestServer.Store store();

  @BeforeAll
  void startServer() {
    server = TestServer.start(store());
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A room name no other test uses. */
  static String room(String prefix) {
    return prefix + "-" + ROOMS.incrementAndGet();
  }

  RpcSocket connect(String user) {
    return RpcSocket.open(server, user);
  }

  /** Connects as {@code user} and joins {@code room} (without {@code since}). */
  RpcSocket member(String user, String room) {
    RpcSocket socket = connect(user);
    socket.call("room.join", Wire.obj("room", room));
    return socket;
  }

  /** Stores {@code count} messages in a fresh room as user {@code filler}; they get seqs 1..count. */
  List<JsonObject> fill(String room, int count, IntFunction<String> text) {
    try (RpcSocket filler = member("filler", room)) {
      List<JsonObject> stored = filler.sendAll(room, IntStream.rangeClosed(1, count).mapToObj(text).toList());
      assertThat(Wire.runs(Wire.seqs(stored))).as("seqs of the messages filled into %s", room)
          .isEqualTo(Wire.span(1, count));
      return stored;
    }
  }
}
