package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.browser.RawHttp;
import io.parley.server.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refusals that do not need the body (401 in token mode, 404, 405) are answered before it
 * arrives, say {@code Connection: close}, and the server then closes the connection. Most requests
 * here declare a 60 KB body and never send it: waiting for the body would answer nothing (or a
 * 408), not the refusal. A client that does send its body still gets the answer: the server
 * throws away what arrives (bounded, without a thread) before it closes; closing straight away
 * lost answers to a connection reset ("header parser received no bytes").
 */
@Timeout(60)
class UnreadRefusalsTest {
  private static final int DECLARED = 60_000;
  private static final int ROUNDS = 60;
  private static final String BODY = "{\"text\":\"" + "x".repeat(DECLARED) + "\"}";
  private static TestServer open;
  private static TestServer tokens;

  @BeforeAll
  static void start() {
    open = TestServer.start(TestServer.Store.EMBEDDED);
    tokens = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withJwtSecret("0123456789abcdef0123456789abcdef0123"));
  }

  @AfterAll
  static void stop() {
    open.close();
    tokens.close();
  }

  @Test
  void aPostWithoutATokenIsAnswered401BeforeItsBody() {
    assertRefusedUnread(tokens, "/api/rooms/r/messages", 401);
    assertRefusedUnread(tokens, "/rpc", 401);
  }

  @Test
  void aPostWithABadTokenIsAnswered401BeforeItsBody() {
    try (RawHttp.Connection connection = RawHttp.open(tokens.port())) {
      connection.write(SlowBodyTest.head("/rpc", DECLARED).replace("\r\n\r\n", "\r\nAuthorization: Bearer not.a.jwt\r\n\r\n"));
      RawHttp.Reply reply = connection.reply();
      SlowBodyTest.assertJsonError(reply, 401);
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }
  }

  @Test
  void unknownRoutesAndWrongMethodsAreAnsweredBeforeTheirBody() {
    assertRefusedUnread(open, "/no/such/route", 404);
    assertRefusedUnread(open, "/health", 405);
    assertRefusedUnread(open, "/metrics", 405);
  }

  @Test
  void everyRefusedPostWithItsBodyIsAnsweredOnAReusedConnection() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < ROUNDS; i++) {
      assertThat(post(client, open, "/no/such/route")).isEqualTo(404);
      assertThat(post(client, open, "/health")).isEqualTo(405);
      assertThat(post(client, tokens, "/api/rooms/r/messages")).isEqualTo(401);
    }
  }

  private static int post(HttpClient client, TestServer server, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.httpUri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static void assertRefusedUnread(TestServer server, String path, int status) {
    try (RawHttp.Connection connection = RawHttp.open(server.port())) {
      connection.write(SlowBodyTest.head(path, DECLARED));
      RawHttp.Reply reply = connection.reply();
      SlowBodyTest.assertJsonError(reply, status);
      assertThat(reply.header("Connection")).as("POST %s", path).isEqualTo("close");
      assertThat(connection.closedByServer()).as("connection closed after POST %s", path).isTrue();
    }
  }
}
