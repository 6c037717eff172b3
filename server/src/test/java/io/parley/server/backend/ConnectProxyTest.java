package io.parley.server.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.protocol.ErrorCodes;
import io.parley.server.auth.Tokens;
import io.parley.server.config.ProxySettings;
import io.parley.server.config.WebhookSettings;
import io.parley.server.testing.SseClient;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.TestServer.Store;
import io.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connect proxy (#18) against a real backend on loopback: on its own (sessions locked until
 * the proxy admits them) and beside a JWT secret (a token is tried first). Requests are signed
 * with the webhook secret, and the backend checks every signature.
 */
@Timeout(60)
class ConnectProxyTest {
  static final String SECRET = "webhook-secret-for-the-proxy-tests";
  static final Duration TIMEOUT = Duration.ofMillis(800);

  private static AppBackend backend;
  private static TestServer alone;
  private static TestServer besideJwt;

  @BeforeAll
  static void start() throws Exception {
    backend = new AppBackend(SECRET);
    ProxySettings proxies = ProxySettings.NONE.withConnect(backend.url("/connect")).withTimeout(TIMEOUT);
    WebhookSettings hooks = new WebhookSettings(backend.url("/hooks"), SECRET, Duration.ofHours(1));
    alone = TestServer.start(Store.EMBEDDED, cfg -> cfg.toBuilder().proxies(proxies).webhooks(hooks).build());
    besideJwt = TestServer.start(Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET).toBuilder().proxies(proxies)
        .webhooks(hooks).build());
  }

  @AfterAll
  static void stop() {
    alone.close();
    besideJwt.close();
    backend.close();
  }

  @BeforeEach
  void admitByCredentials() {
    backend.onConnect(body -> {
      JsonObject credentials = body.get("credentials").isJsonObject() ? body.getAsJsonObject("credentials") : null;
      if (credentials == null || !credentials.has("user")) {
        return AppBackend.Reply.refuse("who are you?");
      }
      JsonObject answer = new JsonObject();
      answer.add("user", credentials.get("user"));
      if (credentials.has("rooms")) {
        answer.add("rooms", credentials.get("rooms"));
      }
      return AppBackend.Reply.ok(answer.toString());
    });
  }

  @Test
  void admitsWhomTheBackendAdmitsWithTheUpgradesCookiesAndLocksUntilThen() throws Exception {
    Map<String, String> headers = Map.of("Cookie", "sid=s3cr3t; theme=dark", "User-Agent", "proxy-test/1");
    try (WsClient ws = WsClient.connect(alone.wsUri(), headers)) {
      assertCode(ws.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
      assertCode(ws.call("room.join", "{\"room\":\"lobby\"}"), ErrorCodes.UNAUTHORIZED);
      int before = backend.received("/connect").size();
      JsonObject hello = ws.result("session.hello", "{\"credentials\":{\"user\":\"ann\",\"key\":42}}");
      assertThat(hello.get("user").getAsString()).isEqualTo("ann");
      assertThat(ws.call("echo", "[1]").get("result").toString()).isEqualTo("[1]");
      ws.result("room.join", "{\"room\":\"lobby\"}");
      assertThat(ws.result("chat.send", "{\"room\":\"lobby\",\"text\":\"hi\"}").get("from").getAsString())
          .isEqualTo("ann");

      AppBackend.Received request = backend.received("/connect").get(before);
      assertThat(request.problem()).isNull();
      assertThat(request.body().getAsJsonObject("credentials").toString()).isEqualTo("{\"user\":\"ann\",\"key\":42}");
      assertThat(request.body().getAsJsonObject("headers").get("cookie").getAsString()).isEqualTo("sid=s3cr3t; theme=dark");
      assertThat(request.body().getAsJsonObject("headers").get("user-agent").getAsString()).isEqualTo("proxy-test/1");
      assertThat(request.body().get("remoteAddr").getAsString()).isEqualTo("127.0.0.1");
      assertThat(request.signature()).startsWith("t=" + request.timestamp() + ",v1=");

      // Cached per session: a hello without new credentials does not ask again.
      assertThat(ws.result("session.hello", "{}").get("user").getAsString()).isEqualTo("ann");
      assertThat(backend.received("/connect")).hasSize(before + 1);
    }
    // ...and never across sessions: the next session asks for itself.
    try (WsClient other = alone.connect()) {
      assertCode(other.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
      other.result("session.hello", "{\"credentials\":{\"user\":\"bob\"}}");
      assertThat(backend.received("/connect").get(backend.received("/connect").size() - 1).body()
          .getAsJsonObject("headers").has("cookie")).isFalse();
    }
  }

  @Test
  void aRefusalIsMinus32006WithTheReasonAndTheSessionStaysLocked() {
    try (WsClient ws = alone.connect()) {
      JsonObject reply = ws.call("session.hello", "{\"credentials\":\"nobody\"}");
      assertCode(reply, ErrorCodes.REJECTED);
      assertThat(reply.getAsJsonObject("error").getAsJsonObject("data").get("reason").getAsString())
          .isEqualTo("who are you?");
      assertThat(reply.toString()).doesNotContain("nobody");
      assertCode(ws.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
      assertThat(ws.isClosed()).isFalse();
    }
  }

  @Test
  void a403WhoseBodyIsNotJsonStillRefusesWithAGenericReason() {
    backend.onConnect(body -> new AppBackend.Reply(403, "<html>Forbidden by the firewall</html>", 0, false));
    try (WsClient ws = alone.connect()) {
      JsonObject reply = ws.call("session.hello", "{\"credentials\":{\"user\":\"ann\"}}");
      assertCode(reply, ErrorCodes.REJECTED);
      assertThat(reply.getAsJsonObject("error").getAsJsonObject("data").get("reason").getAsString())
          .isEqualTo(Verdicts.NO_REASON);
    }
  }

  @Test
  void aBackendThatDoesNotAnswerIsMinus32005WithinTheTimeoutAndASecond() {
    backend.onConnect(body -> AppBackend.Reply.held(AppBackend.Reply.ok("{\"user\":\"late\"}")));
    try (WsClient ws = alone.connect()) {
      long start = System.nanoTime();
      JsonObject reply = ws.call("session.hello", "{\"credentials\":{\"user\":\"ann\"}}");
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertCode(reply, ErrorCodes.UNAVAILABLE);
      assertThat(tookMs).isLessThan(TIMEOUT.toMillis() + 1_000); // the contract's bound, not a speed figure
      assertCode(ws.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
    }
  }

  @Test
  void aSecondHelloWhileTheFirstWaitsForTheBackendIsMinus32005AtOnceAndNotSent() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    backend.onConnect(body -> AppBackend.Reply.heldBy(gate, AppBackend.Reply.ok("{\"user\":\"ann\"}")));
    try (WsClient ws = alone.connect()) {
      int before = backend.received("/connect").size();
      ws.send("{\"jsonrpc\":\"2.0\",\"id\":\"h1\",\"method\":\"session.hello\",\"params\":{\"credentials\":{}}}");
      assertThat(backend.await(() -> backend.received("/connect").size() == before + 1, Duration.ofSeconds(10)))
          .isTrue();
      JsonObject second = ws.call("session.hello", "{\"credentials\":{\"user\":\"ann\"}}");
      assertCode(second, ErrorCodes.UNAVAILABLE);
      assertThat(second.getAsJsonObject("error").get("message").getAsString()).contains("under way");
      assertThat(backend.received("/connect")).hasSize(before + 1);
      gate.countDown();
      ws.await(o -> o.has("id") && "h1".equals(o.get("id").getAsString())); // answered, admitted or timed out
      admitByCredentials();
      assertThat(ws.result("session.hello", "{\"credentials\":{\"user\":\"ann\"}}").get("user").getAsString())
          .isEqualTo("ann");
    } finally {
      gate.countDown();
    }
  }

  @Test
  void aBackendAnsweringSomethingElseIsMinus32005() {
    backend.onConnect(body -> new AppBackend.Reply(500, "oops", 0, false));
    try (WsClient ws = alone.connect()) {
      assertCode(ws.call("session.hello", "{\"credentials\":1}"), ErrorCodes.UNAVAILABLE);
    }
    backend.onConnect(body -> AppBackend.Reply.ok("{\"user\":\"\"}"));
    try (WsClient ws = alone.connect()) {
      assertCode(ws.call("session.hello", "{\"credentials\":1}"), ErrorCodes.UNAVAILABLE);
    }
  }

  @Test
  void anInvalidAdmissionIsNamedByFieldAndTypeNeverEchoed() {
    String secretish = "x".repeat(300) + "-private-value-31";
    try (var log = io.parley.server.testing.LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      for (String answer : new String[] {
          "{\"user\":\"" + secretish + "\"}",
          "{\"user\":{\"token\":\"" + secretish + "\"}}",
          "{\"user\":\"ann\",\"rooms\":[\"" + secretish + " \"]}"}) {
        backend.onConnect(body -> AppBackend.Reply.ok(answer));
        try (WsClient ws = alone.connect()) {
          JsonObject reply = ws.call("session.hello", "{\"credentials\":{}}");
          assertCode(reply, ErrorCodes.UNAVAILABLE);
          assertThat(reply.toString()).doesNotContain("private-value-31");
        }
      }
      assertThat(log.events()).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("private-value-31"));
    }
  }

  @Test
  void anAdmissionWhoseExpiryIsAlreadyPastIsMinus32005AndAdmitsNothing() {
    backend.onConnect(body -> AppBackend.Reply.ok("{\"user\":\"old\",\"expiresAt\":\""
        + java.time.Instant.now().minusSeconds(2) + "\"}"));
    try (WsClient ws = alone.connect()) {
      JsonObject reply = ws.call("session.hello", "{\"credentials\":{}}");
      assertCode(reply, ErrorCodes.UNAVAILABLE);
      assertThat(reply.getAsJsonObject("error").get("message").getAsString()).contains("expiresAt: already past");
      assertCode(ws.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
    }
  }

  @Test
  void theAnswersRoomsRestrictTheSession() {
    try (WsClient ws = alone.connect()) {
      ws.result("session.hello", "{\"credentials\":{\"user\":\"cy\",\"rooms\":[\"allowed\"]}}");
      ws.result("room.join", "{\"room\":\"allowed\"}");
      assertCode(ws.call("room.join", "{\"room\":\"other\"}"), ErrorCodes.FORBIDDEN);
      assertCode(ws.call("chat.history", "{\"room\":\"other\"}"), ErrorCodes.FORBIDDEN);
    }
  }

  @Test
  void theAnswersExpiryEndsTheSessionLikeATokensExp() {
    backend.onConnect(body -> AppBackend.Reply.ok("{\"user\":\"eve\",\"expiresAt\":\""
        + java.time.Instant.now().plusSeconds(1) + "\"}"));
    try (WsClient ws = alone.connect()) {
      ws.result("session.hello", "{\"credentials\":{}}");
      JsonObject notice = ws.await(o -> o.has("method") && "session.expired".equals(o.get("method").getAsString()),
          Duration.ofSeconds(20));
      assertThat(notice).isNotNull();
      assertThat(ws.awaitClose()).isEqualTo(io.parley.protocol.CloseCodes.POLICY_VIOLATION);
    }
  }

  @Test
  void neitherCredentialsNorCookiesNorTheSecretReachTheLogEvenWhenTheBackendFails() {
    backend.onConnect(body -> new AppBackend.Reply(502, "", 0, false));
    try (var log = io.parley.server.testing.LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME);
        WsClient ws = WsClient.connect(alone.wsUri(), Map.of("Cookie", "sid=cookie-value-7"))) {
      assertCode(ws.call("session.hello", "{\"credentials\":{\"password\":\"credential-value-9\"}}"),
          ErrorCodes.UNAVAILABLE);
      assertThat(log.events()).allSatisfy(e -> assertThat(e.getFormattedMessage())
          .doesNotContain("credential-value-9").doesNotContain("cookie-value-7").doesNotContain(SECRET));
    }
  }

  @Test
  void theHttpApiWithoutASessionIsRefused() {
    HttpResponse<String> rpc = alone.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.history\","
        + "\"params\":{\"room\":\"lobby\"}}");
    assertThat(rpc.statusCode()).isEqualTo(401);
    assertThat(rpc.body()).contains("connect proxy");
    assertThat(alone.post("/api/rooms/lobby/messages", "{\"text\":\"hi\"}").statusCode()).isEqualTo(401);
    assertThat(alone.get("/api/rooms/lobby/messages").statusCode()).isEqualTo(401);
  }

  @Test
  void anEventStreamSessionSaysHelloOverPostRpc() {
    try (SseClient sse = SseClient.open(alone, "", Map.of("Cookie", "sid=from-sse"))) {
      assertCode(sse.call("chat.history", com.google.gson.JsonParser.parseString("{\"room\":\"lobby\"}")),
          ErrorCodes.UNAUTHORIZED);
      JsonObject hello = sse.result("session.hello",
          com.google.gson.JsonParser.parseString("{\"credentials\":{\"user\":\"dee\"}}"));
      assertThat(hello.get("user").getAsString()).isEqualTo("dee");
      var requests = backend.received("/connect");
      assertThat(requests.get(requests.size() - 1).body().getAsJsonObject("headers").get("cookie").getAsString())
          .isEqualTo("sid=from-sse");
      sse.result("room.join", com.google.gson.JsonParser.parseString("{\"room\":\"lobby\"}"));
    }
  }

  @Test
  void besideAJwtSecretATokenIsTriedFirstThenTheProxy() {
    int before = backend.received("/connect").size();
    try (WsClient ws = besideJwt.connect()) {
      assertCode(ws.call("echo", "[1]"), ErrorCodes.UNAUTHORIZED);
      JsonObject hello = ws.result("session.hello", "{\"token\":\"" + Tokens.valid("tina")
          + "\",\"credentials\":{\"user\":\"not-asked\"}}");
      assertThat(hello.get("user").getAsString()).isEqualTo("tina");
      assertThat(backend.received("/connect")).hasSize(before);
    }
    try (WsClient ws = besideJwt.connect()) {
      assertThat(ws.result("session.hello", "{\"credentials\":{\"user\":\"pat\"}}").get("user").getAsString())
          .isEqualTo("pat");
      assertThat(backend.received("/connect")).hasSize(before + 1);
    }
    try (WsClient ws = besideJwt.connect()) {
      // A refused token with credentials goes on to the proxy; without credentials it is -32001.
      assertThat(ws.result("session.hello", "{\"token\":\"garbage\",\"credentials\":{\"user\":\"pat\"}}")
          .get("user").getAsString()).isEqualTo("pat");
    }
    try (WsClient ws = besideJwt.connect()) {
      assertCode(ws.call("session.hello", "{\"token\":\"garbage\"}"), ErrorCodes.UNAUTHORIZED);
    }
    try (WsClient ws = WsClient.connect(besideJwt.wsUri(), Map.of("Authorization", "Bearer " + Tokens.valid("ula")))) {
      assertThat(ws.call("echo", "[1]").get("result").toString()).isEqualTo("[1]");
    }
  }

  static void assertCode(JsonObject reply, int code) {
    assertThat(reply.has("error")).as("error expected in %s", reply).isTrue();
    assertThat(reply.getAsJsonObject("error").get("code").getAsInt()).as("%s", reply).isEqualTo(code);
  }
}
