package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.parley.protocol.CloseCodes;
import io.parley.protocol.ErrorCodes;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import io.parley.server.testing.WsClient;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Token mode over WebSocket: the gate before authentication, hello and Bearer, rooms, refresh, expiry. */
@Timeout(60)
class TokenModeWebSocketTest {
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
  void beforeAuthenticationOnlyHelloAndDiscoverAnswer() {
    try (WsClient ws = server.connect()) {
      assertCode(ws.call("echo", "{\"a\":1}"), ErrorCodes.UNAUTHORIZED);
      assertCode(ws.call("room.join", "{\"room\":\"lobby\"}"), ErrorCodes.UNAUTHORIZED);
      assertCode(ws.call("chat.send", "{\"room\":\"lobby\",\"text\":\"hi\"}"), ErrorCodes.UNAUTHORIZED);
      assertCode(ws.call("chat.history", "{\"room\":\"lobby\"}"), ErrorCodes.UNAUTHORIZED);
      assertCode(ws.call("broadcast", "{\"text\":\"hi\"}"), ErrorCodes.UNAUTHORIZED);
      assertCode(ws.call("no.such", null), ErrorCodes.UNAUTHORIZED);
      assertThat(ws.result("rpc.discover", null).has("openrpc")).isTrue();
      assertCode(ws.call("session.hello", "{\"name\":\"mallory\"}"), ErrorCodes.UNAUTHORIZED);
    }
  }

  @Test
  void refusesEveryBadTokenInHelloAndStaysLocked() {
    try (WsClient ws = server.connect()) {
      for (String token : new String[] {"", "garbage", Tokens.malformed(), Tokens.expired("alice"),
          Tokens.notYetValid("alice"), Tokens.wronglySigned("alice"), Tokens.algNone("alice"), Tokens.hs512("alice")}) {
        assertCode(ws.call("session.hello", hello(token)), ErrorCodes.UNAUTHORIZED);
      }
      assertCode(ws.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
      assertThat(ws.isClosed()).isFalse();
    }
  }

  @Test
  void aValidTokenInHelloMakesItsSubTheUser() {
    try (WsClient ws = server.connect()) {
      JsonObject result = ws.result("session.hello", "{\"name\":\"ignored\",\"token\":\"" + Tokens.valid("alice") + "\"}");
      assertThat(result.get("user").getAsString()).isEqualTo("alice");
      assertThat(result.get("protocol").getAsString()).isEqualTo("parley/1.1");
      assertThat(ws.call("echo", "[1]").get("result").toString()).isEqualTo("[1]");
      ws.result("room.join", "{\"room\":\"hello-room\"}");
      JsonObject message = ws.result("chat.send", "{\"room\":\"hello-room\",\"text\":\"hi\"}");
      assertThat(message.get("from").getAsString()).isEqualTo("alice");
    }
  }

  @Test
  void aBearerTokenOnTheUpgradeAuthenticates() {
    Map<String, String> headers = Map.of("Authorization", "Bearer " + Tokens.valid("carol"));
    try (WsClient ws = WsClient.connect(server.wsUri(), headers)) {
      assertThat(ws.result("session.hello", "{}").get("user").getAsString()).isEqualTo("carol");
      assertThat(ws.result("echo", "{\"x\":true}").get("x").getAsBoolean()).isTrue();
      ws.result("room.join", "{\"room\":\"bearer-room\"}");
      assertThat(ws.result("chat.send", "{\"room\":\"bearer-room\",\"text\":\"hi\"}").get("from").getAsString())
          .isEqualTo("carol");
    }
  }

  @Test
  void aBadBearerTokenIsRefusedWith401BeforeTheUpgrade() {
    for (String header : new String[] {"Bearer " + Tokens.expired("carol"), "Bearer " + Tokens.algNone("carol"),
        "Bearer " + Tokens.wronglySigned("carol"), "Bearer garbage", "Basic Y2Fyb2w6cHc="}) {
      assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
          .header("Authorization", header)
          .buildAsync(server.wsUri(), new WebSocket.Listener() { })
          .orTimeout(10, TimeUnit.SECONDS).join())
          .as("upgrade with Authorization: %s", header)
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
            assertThat(e.getResponse().statusCode()).isEqualTo(401);
            assertThat(String.valueOf(e.getResponse().body())).contains("\"status\":401");
          });
    }
  }

  @Test
  void aTokenForOneRoomCannotJoinAnother() {
    try (WsClient ws = server.connect()) {
      ws.result("session.hello", hello(Tokens.forRooms("dave", "room-a")));
      ws.result("room.join", "{\"room\":\"room-a\"}");
      assertCode(ws.call("room.join", "{\"room\":\"room-b\"}"), ErrorCodes.FORBIDDEN);
      assertCode(ws.call("chat.send", "{\"room\":\"room-b\",\"text\":\"hi\"}"), ErrorCodes.FORBIDDEN);
    }
  }

  @Test
  void aFreshTokenRefreshesTheSessionButOnlyForTheSameUser() {
    try (WsClient ws = server.connect()) {
      ws.result("session.hello", hello(Tokens.expiringIn("erin", Duration.ofMinutes(5))));
      ws.result("room.join", "{\"room\":\"refresh-room\"}");
      JsonObject refreshed = ws.result("session.hello", hello(Tokens.valid("erin")));
      assertThat(refreshed.get("user").getAsString()).isEqualTo("erin");
      assertCode(ws.call("session.hello", hello(Tokens.valid("frank"))), ErrorCodes.FORBIDDEN);
      assertCode(ws.call("session.hello", hello(Tokens.forRooms("erin", "elsewhere"))), ErrorCodes.FORBIDDEN);
      assertCode(ws.call("session.hello", hello(Tokens.expired("erin"))), ErrorCodes.UNAUTHORIZED);
      assertThat(ws.result("chat.send", "{\"room\":\"refresh-room\",\"text\":\"still here\"}")
          .get("from").getAsString()).isEqualTo("erin");
    }
  }

  @Test
  void anExpiredTokenEndsTheSessionWithANoticeAnd1008() {
    try (WsClient ws = server.connect()) {
      ws.result("session.hello", hello(Tokens.expiringIn("gina", Duration.ofSeconds(1))));
      JsonObject notice = ws.await(o -> o.has("method") && "session.expired".equals(o.get("method").getAsString()),
          Duration.ofSeconds(20));
      assertThat(notice.has("id")).isFalse();
      assertThat(notice.getAsJsonObject("params").get("reason").getAsString()).isNotBlank();
      assertThat(ws.awaitClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
  }

  @Test
  void unauthenticatedSessionsGetNoBroadcasts() {
    try (WsClient locked = server.connect();
        WsClient sender = WsClient.connect(server.wsUri(), Map.of("Authorization", "Bearer " + Tokens.broadcaster("hal")))) {
      sender.result("broadcast", "{\"text\":\"to everyone signed in\"}");
      assertCode(locked.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
      assertThat(locked.hasPending("broadcast")).isFalse();
    }
  }

  /** The rooms claim governs chat.history too, not only join and send. */
  @Test
  void aTokenForOneRoomCannotReadAnothersHistory() {
    try (WsClient ws = server.connect()) {
      ws.result("session.hello", hello(Tokens.forRooms("rita", "allowed-hist")));
      assertThat(ws.result("chat.history", "{\"room\":\"allowed-hist\"}").has("messages")).isTrue();
      JsonObject refused = ws.call("chat.history", "{\"room\":\"secret-hist\",\"limit\":5}");
      assertCode(refused, ErrorCodes.FORBIDDEN);
      assertThat(refused.getAsJsonObject("error").get("message").getAsString())
          .isEqualTo("Forbidden: your token does not allow room \"secret-hist\"");
    }
  }

  /** broadcast needs a claim of its own: "broadcast": true or "admin": true. */
  @Test
  void broadcastNeedsTheBroadcastOrAdminClaim() {
    try (WsClient plain = server.connect(); WsClient caster = server.connect(); WsClient admin = server.connect()) {
      plain.result("session.hello", hello(Tokens.valid("paula")));
      JsonObject refused = plain.call("broadcast", "{\"text\":\"everyone!\"}");
      assertCode(refused, ErrorCodes.FORBIDDEN);
      assertThat(refused.getAsJsonObject("error").get("message").getAsString())
          .isEqualTo("Forbidden: broadcast needs a token with \"broadcast\": true or \"admin\": true");
      assertCode(plain.call("broadcast", "{\"text\":\"x\"}"), ErrorCodes.FORBIDDEN);
      caster.result("session.hello", hello(Tokens.broadcaster("casey")));
      assertThat(caster.result("broadcast", "{\"text\":\"from casey\"}").get("delivered").getAsInt()).isPositive();
      admin.result("session.hello", hello(Tokens.withFlag("ada", "admin", true)));
      assertThat(admin.result("broadcast", "{\"text\":\"from ada\"}").get("delivered").getAsInt()).isPositive();
      assertThat(plain.awaitNotification("broadcast").get("text").getAsString())
          .isEqualTo("from casey");
      // a refresh without the claim takes the permission away again
      caster.result("session.hello", hello(Tokens.valid("casey")));
      assertCode(caster.call("broadcast", "{\"text\":\"again\"}"), ErrorCodes.FORBIDDEN);
    }
  }

  static String hello(String token) {
    return "{\"token\":\"" + token + "\"}";
  }

  static void assertCode(JsonObject response, int code) {
    assertThat(response.has("error")).as("expected error %s in %s", code, response).isTrue();
    assertThat(response.getAsJsonObject("error").get("code").getAsInt()).as("%s", response).isEqualTo(code);
  }
}
