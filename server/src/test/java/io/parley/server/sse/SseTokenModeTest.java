package io.parley.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.auth.Tokens;
import io.parley.server.testing.SseClient;
import io.parley.server.testing.TestServer;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /events} in token mode: a token is required (header or query), and it rules the session. */
@Timeout(60)
class SseTokenModeTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED, cfg -> cfg.withJwtSecret(Tokens.SECRET));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String refusal(String query, Map<String, String> headers) throws Exception {
    HttpResponse<InputStream> answer = SseClient.request(server, query, headers);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"parley\"");
    return new String(answer.body().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void withoutAValidTokenTheStreamIsRefusedWith401() throws Exception {
    assertThat(refusal("", Map.of())).contains("token");
    assertThat(refusal("name=mallory", Map.of())).contains("token");
    assertThat(refusal("token=" + Tokens.expired("tom"), Map.of())).contains("xpired");
    assertThat(refusal("token=" + Tokens.wronglySigned("tom"), Map.of())).doesNotContain("Exception");
    assertThat(refusal("", Map.of("Authorization", "Bearer " + Tokens.expired("tom")))).contains("xpired");
  }

  @Test
  void headOfEventsTellsARefusedTokenFromAGoodOne() {
    java.util.function.Function<String, Integer> head = query -> server.send(java.net.http.HttpRequest.newBuilder(
        server.httpUri("/events" + query)).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build())
        .statusCode();
    assertThat(head.apply("")).isEqualTo(401);
    assertThat(head.apply("?token=" + Tokens.expired("tom"))).isEqualTo(401);
    assertThat(head.apply("?token=" + Tokens.valid("tom"))).isEqualTo(204);
  }

  @Test
  void aQueryTokenNamesTheUserAndItsRoomsClaimHolds() {
    try (SseClient sse = SseClient.open(server, "name=ignored&token=" + Tokens.forRooms("tess", "allowed"))) {
      assertThat(sse.user()).isEqualTo("tess");
      sse.result("room.join", JsonParser.parseString("{\"room\":\"allowed\"}"));
      JsonObject refused = sse.call("room.join", JsonParser.parseString("{\"room\":\"elsewhere\"}"));
      assertThat(refused.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(-32002);
    }
  }

  @Test
  void aBearerHeaderWorksToo() {
    try (SseClient sse = SseClient.open(server, "", Map.of("Authorization", "Bearer " + Tokens.valid("theo")))) {
      assertThat(sse.user()).isEqualTo("theo");
      JsonObject sent;
      sse.result("room.join", JsonParser.parseString("{\"room\":\"bearer-sse\"}"));
      sent = sse.result("chat.send", JsonParser.parseString("{\"room\":\"bearer-sse\",\"text\":\"hi\"}"));
      assertThat(sent.get("from").getAsString()).isEqualTo("theo");
    }
  }

  @Test
  void anExpiringTokenEndsTheStreamWithSessionExpiredAndA1008Close() {
    try (SseClient sse = SseClient.open(server, "token=" + Tokens.expiringIn("tara", Duration.ofSeconds(1)))) {
      assertThat(sse.awaitNotification("session.expired").get("reason").getAsString()).isEqualTo("token expired");
      SseClient.Event close = sse.await(e -> "close".equals(e.name()), Duration.ofSeconds(15));
      assertThat(close.json().get("code").getAsInt()).isEqualTo(1008);
      assertThat(sse.awaitEnd(Duration.ofSeconds(10))).as("the stream ended after its close event").isTrue();
      HttpResponse<String> after = sse.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"x\"}}");
      assertThat(after.statusCode()).isEqualTo(404);
    }
  }
}
