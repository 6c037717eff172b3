package io.parley.server.e2e;

import static io.parley.server.e2e.Http.assertError;
import static io.parley.server.e2e.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET} and {@code POST /api/rooms/{room}/messages}. */
@Timeout(60)
class HttpMessagesTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject post(String room, String body) {
    HttpResponse<String> response = server.post("/api/rooms/" + room + "/messages", body);
    assertThat(response.statusCode()).as("POST %s -> %s", body, response.body()).isEqualTo(201);
    return json(response);
  }

  private static List<Long> seqs(String pathAndQuery) {
    HttpResponse<String> response = server.get(pathAndQuery);
    assertThat(response.statusCode()).as("GET %s -> %s", pathAndQuery, response.body()).isEqualTo(200);
    List<Long> seqs = new ArrayList<>();
    json(response).getAsJsonArray("messages").forEach(m -> seqs.add(m.getAsJsonObject().get("seq").getAsLong()));
    return seqs;
  }

  @Test
  void postStoresAndDeliversTheMessage() {
    try (WsClient alice = server.connect()) {
      alice.result("session.hello", "{\"name\":\"alice\"}");
      alice.result("room.join", "{\"room\":\"rest-post\"}");
      JsonObject named = post("rest-post", "{\"text\":\"hello from curl\",\"from\":\"bob\"}");
      Wire.assertMessage(named, "rest-post", 1, "bob", "hello from curl");
      assertThat(named.has("clientId")).isFalse();
      assertThat(alice.awaitNotification("chat.message")).isEqualTo(named);
      JsonObject anonymous = post("rest-post", "{\"text\":\"no name\"}");
      Wire.assertMessage(anonymous, "rest-post", 2, "http", "no name");
      assertThat(alice.awaitNotification("chat.message")).isEqualTo(anonymous);
    }
  }

  @Test
  void repeatedClientIdReturnsTheSameMessage() {
    JsonObject first = post("rest-idem", "{\"text\":\"once\",\"from\":\"carl\",\"clientId\":\"k-1\"}");
    assertThat(first.get("clientId").getAsString()).isEqualTo("k-1");
    HttpResponse<String> again = server.post("/api/rooms/rest-idem/messages",
        "{\"text\":\"once\",\"from\":\"carl\",\"clientId\":\"k-1\"}");
    assertThat(again.statusCode()).isBetween(200, 201);
    assertThat(json(again)).isEqualTo(first);
    assertThat(seqs("/api/rooms/rest-idem/messages")).containsExactly(1L);
  }

  @Test
  void getPagesLikeChatHistory() {
    for (int i = 1; i <= 12; i++) {
      post("rest-pages", "{\"text\":\"m" + i + "\"}");
    }
    String path = "/api/rooms/rest-pages/messages";
    assertThat(seqs(path)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    assertThat(seqs(path + "?limit=3")).containsExactly(10L, 11L, 12L);
    assertThat(seqs(path + "?before=5&limit=2")).containsExactly(3L, 4L);
    assertThat(seqs(path + "?after=9")).containsExactly(10L, 11L, 12L);
    assertThat(seqs(path + "?after=2&limit=2")).containsExactly(3L, 4L);
    assertThat(seqs(path + "?limit=500")).hasSize(12);
    assertThat(seqs("/api/rooms/rest-never-written/messages")).isEmpty();
    HttpResponse<String> response = server.get(path + "?after=11");
    JsonObject only = json(response).getAsJsonArray("messages").get(0).getAsJsonObject();
    Wire.assertMessage(only, "rest-pages", 12, "http", "m12");
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=abc", "limit=0", "limit=501", "limit=-3", "limit=2.5", "before=-1", "after=x"})
  void badQueriesAre400(String query) {
    assertError(server.get("/api/rooms/rest-bad/messages?" + query), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad!room", "sp%20ace", "%C3%BCml", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void badRoomNamesAre400(String room) {
    assertError(server.get("/api/rooms/" + room + "/messages"), 400);
    assertError(server.post("/api/rooms/" + room + "/messages", "{\"text\":\"x\"}"), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"text\":\"\"}", "{}", "{\"text\":5}", "{\"text\":\"x\",\"from\":\"\"}",
      "{\"text\":\"x\",\"from\":\"abcdefghijklmnopqrstuvwxyz0123456\"}", "{\"text\":\"x\",\"from\":\"a\\u0007b\"}",
      "{\"text\":\"x\",\"clientId\":\"\"}", "[\"text\"]", "\"text\""})
  void invalidBodiesAre400(String body) {
    assertError(server.post("/api/rooms/rest-invalid/messages", body), 400);
    assertThat(seqs("/api/rooms/rest-invalid/messages")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"text\":\"x\"", "not json", ""})
  void malformedJsonIs400(String body) {
    assertError(server.post("/api/rooms/rest-malformed/messages", body), 400);
  }

  @Test
  void textTooLongIs413AndTheLimitItselfIsFine() {
    assertError(server.post("/api/rooms/rest-long/messages", "{\"text\":\"" + "z".repeat(4097) + "\"}"), 413);
    assertThat(post("rest-long", "{\"text\":\"" + "😀".repeat(4096) + "\"}").get("seq").getAsLong()).isEqualTo(1);
  }

  @Test
  void bodyOverTheLimitIs413() {
    Http.assertEveryOversizeBodyIsAnswered413(server, "/api/rooms/rest-huge/messages", "{\"text\":\"", "\"}", 20);
    assertThat(seqs("/api/rooms/rest-huge/messages")).isEmpty();
  }

  @Test
  void markupAndSqlAreStoredVerbatim() {
    String text = "<img src=x onerror=alert(1)> '; DROP TABLE messages; -- \\\" &amp;";
    JsonObject body = new JsonObject();
    body.addProperty("text", text);
    JsonObject stored = post("rest-verbatim", body.toString());
    assertThat(stored.get("text").getAsString()).isEqualTo(text);
    assertThat(json(server.get("/api/rooms/rest-verbatim/messages")).getAsJsonArray("messages").get(0))
        .isEqualTo(stored);
  }
}
