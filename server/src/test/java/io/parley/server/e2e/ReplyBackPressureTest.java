package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.auth.Tokens;
import io.parley.server.rpc.ReplyBudget;
import io.parley.server.testing.RawWebSocket;
import io.parley.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replies are bounded by back-pressure (issue 13): a client that does not read its replies stops
 * being read, gets every reply once it reads again, one frame's replies are capped, and a session
 * the server closes is dropped when its close cannot be written.
 */
@Timeout(90)
class ReplyBackPressureTest {
  private static final String BIG = "big";
  private static final int SEEDED = 60;
  /** About 4 KB a message, so one page of the room is about 250 KB. */
  private static final String TEXT = "x".repeat(4_000);
  private static final Pattern HISTORY_CALLS =
      Pattern.compile("(?m)^parley_rpc_calls_seconds_count\\{[^}]*method=\"chat\\.history\"[^}]*} (\\S+)$");
  private static final Pattern SESSIONS = Pattern.compile("(?m)^parley_sessions(?:\\{[^}]*})? (\\S+)$");

  private static TestServer server;

  @BeforeAll
  static void seed() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
    for (int i = 0; i < SEEDED; i++) {
      HttpResponse<String> posted = server.post("/api/rooms/" + BIG + "/messages", "{\"text\":\"" + TEXT + "\"}");
      assertThat(posted.statusCode()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String history(Object id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"chat.history\",\"params\":{\"room\":\"" + BIG
        + "\",\"limit\":500}}";
  }

  @Test
  void aClientThatDoesNotReadItsRepliesIsNotReadEitherAndGetsThemAllOnceItReads() throws Exception {
    int calls = 300; // about 75 MB of replies if all were made at once
    long before = historyCalls();
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), 4096)) {
      for (int i = 0; i < calls; i++) {
        raw.sendText(history(i));
      }
      long handled = awaitSteady(ReplyBackPressureTest::historyCalls) - before;
      assertThat(handled).as("history calls the server took on while the client read nothing")
          .isLessThan(calls / 2);

      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < calls; i++) {
        JsonObject reply = JsonParser.parseString(raw.readText()).getAsJsonObject();
        assertThat(reply.has("result")).as("reply %s", reply.get("id")).isTrue();
        assertThat(reply.getAsJsonObject("result").getAsJsonArray("messages")).hasSize(SEEDED);
        ids.add(reply.get("id").getAsInt());
      }
      assertThat(ids).hasSize(calls);
    }
  }

  @Test
  void theRepliesOfOneBatchAreCappedAndTheMembersPastTheCapAnswerTooLarge() {
    int members = 40; // 40 pages of about 250 KB: past the 4 MiB cap
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < members; i++) {
      batch.append(i == 0 ? "" : ",").append(history(i));
    }
    HttpResponse<String> response = server.post("/rpc", batch.append(']').toString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat((long) response.body().length()).isLessThanOrEqualTo(ReplyBudget.LIMIT + 64L * 1024);

    JsonArray replies = JsonParser.parseString(response.body()).getAsJsonArray();
    assertThat(replies).hasSize(members);
    int served = 0;
    int tooLarge = 0;
    for (JsonElement element : replies) {
      JsonObject reply = element.getAsJsonObject();
      if (reply.has("result")) {
        served++;
      } else {
        JsonObject error = reply.getAsJsonObject("error");
        assertThat(error.get("code").getAsInt()).isEqualTo(-32004);
        assertThat(error.getAsJsonObject("data").get("limit").getAsLong()).isEqualTo(ReplyBudget.LIMIT);
        assertThat(error.get("message").getAsString()).contains(Long.toString(ReplyBudget.LIMIT));
        tooLarge++;
      }
    }
    assertThat(served).as("pages served within the cap").isGreaterThan(0);
    assertThat(tooLarge).as("members past the cap").isGreaterThan(0);
  }

  @Test
  void aClosedSessionWhoseCloseCannotBeWrittenIsDropped() throws Exception {
    try (TestServer tokens = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.withJwtSecret(Tokens.SECRET).withAuthTimeout(Duration.ofSeconds(1)));
        RawWebSocket raw = RawWebSocket.connect(tokens.port(), 4096)) {
      StringBuilder discover = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        discover.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
            .append(",\"method\":\"rpc.discover\"}");
      }
      String frame = discover.append(']').toString();
      for (int i = 0; i < 20; i++) { // replies of several MiB that the client never reads
        raw.sendText(frame);
      }
      // Unauthenticated after 1 s: the 1008 queues behind the unread replies, so only dropping
      // the connection ends the session.
      awaitMetric(tokens, SESSIONS, n -> n == 0, TimeUnit.SECONDS.toNanos(20));
    }
  }

  private static long historyCalls() {
    return (long) metric(server, HISTORY_CALLS);
  }

  private static double metric(TestServer on, Pattern pattern) {
    Matcher m = pattern.matcher(on.get("/metrics").body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /** Polls until {@code value} stays the same for five polls in a row; its value then. */
  private static long awaitSteady(java.util.function.LongSupplier value) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long last = value.getAsLong();
    int same = 0;
    while (same < 5) {
      assertThat(System.nanoTime()).as("the count settles within 20 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200); // pacing the polls, not synchronising with the server
      long now = value.getAsLong();
      same = now == last ? same + 1 : 0;
      last = now;
    }
    return last;
  }

  private static void awaitMetric(TestServer on, Pattern pattern, LongPredicate done, long timeoutNanos)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!done.test((long) metric(on, pattern))) {
      assertThat(System.nanoTime()).as("%s within the timeout", pattern).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100); // pacing the polls
    }
  }
}
