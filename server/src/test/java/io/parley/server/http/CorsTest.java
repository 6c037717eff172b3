package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CORS for the HTTP API follows PARLEY_ALLOWED_ORIGINS: listed origins get preflights and headers, others not. */
@Timeout(30)
class CorsTest {
  private static final String LISTED = "http://app.example";
  private static final String OTHER = "http://evil.example";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withAllowedOrigins(List.of(LISTED)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> preflight(String path, String origin) {
    return server.send(HttpRequest.newBuilder(server.httpUri(path)).timeout(Duration.ofSeconds(10))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type, authorization")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
  }

  @Test
  void aPreflightFromAListedOriginIsAllowed() {
    for (String path : List.of("/rpc", "/api/rooms/r/messages")) {
      HttpResponse<String> answer = preflight(path, LISTED);
      assertThat(answer.statusCode()).as(path).isBetween(200, 204);
      assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue(LISTED);
      assertThat(answer.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
      assertThat(answer.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
          .contains("authorization").contains("content-type");
    }
  }

  @Test
  void aPreflightFromAnotherOriginIsNot() {
    HttpResponse<String> answer = preflight("/rpc", OTHER);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aListedOriginsRequestCarriesTheHeaderAndAnotherOriginsDoesNot() {
    String echo = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}";
    HttpResponse<String> listed = server.send(HttpRequest.newBuilder(server.httpUri("/rpc"))
        .header("Origin", LISTED).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(echo)).build());
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LISTED);

    HttpResponse<String> other = server.send(HttpRequest.newBuilder(server.httpUri("/rpc"))
        .header("Origin", OTHER).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(echo)).build());
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aPlainOptionsRequestIsStillNotAMethodOfTheRoute() {
    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(server.httpUri("/rpc"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(answer.statusCode()).isEqualTo(405);
  }
}
