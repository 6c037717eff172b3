package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests refused before their body matters (404, 405, 401 in token mode) still get their answer
 * when the client has the body on its way: the server answers at once, says
 * {@code Connection: close}, and throws away what arrives (bounded, without a thread) before it
 * closes. Closing straight away lost answers to a connection reset ("header parser received no
 * bytes"); waiting for the body held a thread per client (see {@code http.UnreadRefusalsTest}).
 */
@Timeout(60)
class RefusedBodiesTest {
  private static final int ROUNDS = 60;
  private static final String BODY = "{\"text\":\"" + "x".repeat(60_000) + "\"}";
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
  void everyRefusedPostIsAnsweredOnAReusedConnection() throws Exception {
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
}
