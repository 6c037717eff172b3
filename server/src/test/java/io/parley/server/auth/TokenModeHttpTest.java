package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Token mode over HTTP: the publishing routes need a Bearer token (401/403), the reading ones stay open. */
@Timeout(30)
class TokenModeHttpTest {
  private static final String SEND = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.send\","
      + "\"params\":{\"room\":\"%s\",\"text\":\"over rpc\"}}";
  private static final String HISTORY = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"chat.history\","
      + "\"params\":{\"room\":\"%s\"}}";
  private static final String BROADCAST = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"broadcast\","
      + "\"params\":{\"text\":\"to all\"}}";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void postingMessagesNeedsAValidBearerToken() {
    String path = "/api/rooms/http-room/messages";
    assertError(post(path, "{\"text\":\"hi\"}", null), 401);
    for (String token : new String[] {"garbage", Tokens.malformed(), Tokens.expired("kim"), Tokens.notYetValid("kim"),
        Tokens.wronglySigned("kim"), Tokens.algNone("kim"), Tokens.hs512("kim")}) {
      HttpResponse<String> refused = post(path, "{\"text\":\"hi\"}", "Bearer " + token);
      assertError(refused, 401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    assertError(post(path, "{\"text\":\"hi\"}", "Basic a2ltOnB3"), 401);

    HttpResponse<String> created = post(path, "{\"text\":\"hi\"}", "Bearer " + Tokens.valid("kim"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("from").getAsString()).isEqualTo("kim");
    assertThat(post(path, "{\"text\":\"same\",\"from\":\"kim\"}", "Bearer " + Tokens.valid("kim")).statusCode())
        .isEqualTo(201);
    assertError(post(path, "{\"text\":\"spoof\",\"from\":\"lee\"}", "Bearer " + Tokens.valid("kim")), 403);
  }

  @Test
  void theRoomsClaimLimitsWhereATokenMayPost() {
    String token = "Bearer " + Tokens.forRooms("max", "allowed");
    assertThat(post("/api/rooms/allowed/messages", "{\"text\":\"hi\"}", token).statusCode()).isEqualTo(201);
    assertError(post("/api/rooms/other/messages", "{\"text\":\"hi\"}", token), 403);

    JsonObject reply = json(post("/rpc", SEND.formatted("other"), token));
    assertThat(reply.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
  }

  /** Over POST /rpc the same claims apply: rooms governs chat.history, broadcast needs its own claim. */
  @Test
  void rpcFollowsTheRoomsAndBroadcastClaims() {
    String rooms = "Bearer " + Tokens.forRooms("max", "allowed");
    JsonObject history = json(post("/rpc", HISTORY.formatted("other"), rooms));
    assertThat(history.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
    assertThat(json(post("/rpc", HISTORY.formatted("allowed"), rooms)).has("result")).isTrue();

    JsonObject plain = json(post("/rpc", BROADCAST, "Bearer " + Tokens.valid("max")));
    assertThat(plain.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
    JsonObject allowed = json(post("/rpc", BROADCAST, "Bearer " + Tokens.broadcaster("max")));
    assertThat(allowed.getAsJsonObject("result").has("delivered")).as("%s", allowed).isTrue();
    JsonObject admin = json(post("/rpc", BROADCAST, "Bearer " + Tokens.withFlag("max", "admin", true)));
    assertThat(admin.getAsJsonObject("result").has("delivered")).as("%s", admin).isTrue();
  }

  @Test
  void rpcNeedsAValidBearerTokenAndActsAsItsSub() {
    assertError(post("/rpc", SEND.formatted("rpc-room"), null), 401);
    assertError(post("/rpc", SEND.formatted("rpc-room"), "Bearer " + Tokens.expired("ned")), 401);
    assertError(post("/rpc", SEND.formatted("rpc-room"), "Bearer " + Tokens.algNone("ned")), 401);
    HttpResponse<String> ok = post("/rpc", SEND.formatted("rpc-room"), "Bearer " + Tokens.valid("ned"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).getAsJsonObject("result").get("from").getAsString()).isEqualTo("ned");
  }

  @Test
  void historyOverHttpNeedsATokenAndHonoursItsRooms() {
    post("/api/rooms/read-room/messages", "{\"text\":\"hi\"}", "Bearer " + Tokens.valid("ola"));
    assertError(server.get("/api/rooms/read-room/messages"), 401);
    assertError(get("/api/rooms/read-room/messages", "Bearer " + Tokens.expired("ola")), 401);
    HttpResponse<String> history = get("/api/rooms/read-room/messages", "Bearer " + Tokens.valid("ola"));
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(json(history).getAsJsonArray("messages")).hasSize(1);
    assertThat(get("/api/rooms/read-room/messages", "Bearer " + Tokens.forRooms("ola", "read-room")).statusCode())
        .isEqualTo(200);
    assertError(get("/api/rooms/read-room/messages", "Bearer " + Tokens.forRooms("ola", "elsewhere")), 403);
  }

  @Test
  void operatorRoutesAndThePageStayOpen() {
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    assertThat(server.get("/ready").statusCode()).isEqualTo(200);
    assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(server.get("/").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path, String authorization) {
    return server.send(HttpRequest.newBuilder(server.httpUri(path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", authorization).GET().build());
  }

  private static HttpResponse<String> post(String path, String body, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return server.send(request.build());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static void assertError(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as("%s %s", response.uri(), response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(json(response).getAsJsonObject("error").get("status").getAsInt()).isEqualTo(status);
  }
}
