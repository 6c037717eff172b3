package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.browser.RawHttp;
import io.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answers Jetty writes itself (its parser and URI compliance refusing a request before any
 * route sees it) use the contract's JSON error shape, and no answer names the server software.
 */
@Timeout(60)
class JettyErrorPagesTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/..", "/a/../..", "//", "//health", "/%00", "/index.html%00.js", "/%2e%2e/x", "/a%2fb"})
  void refusedTargetsAnswerTheJsonError(String target) {
    RawHttp.Reply reply = RawHttp.send(server.port(), "GET", target);
    assertJsonError(reply, target);
  }

  @Test
  void aMalformedRequestLineAnswersTheJsonError() {
    RawHttp.Reply reply = RawHttp.send(server.port(), "GET", "/health extra");
    assertThat(reply.status()).isEqualTo(400);
    assertJsonError(reply, "a request line with a space in its target");
  }

  @Test
  void aHeaderWithoutAColonAnswersTheJsonError() {
    RawHttp.Reply reply = RawHttp.send(server.port(), "GET", "/health", "NoColonHere");
    assertThat(reply.status()).isEqualTo(400);
    assertJsonError(reply, "a header line without a colon");
  }

  @Test
  void noAnswerNamesTheServerSoftware() {
    for (String target : new String[] {"/health", "/no/such", "/..", "/"}) {
      RawHttp.Reply reply = RawHttp.send(server.port(), "GET", target);
      assertThat(reply.header("Server")).as("Server header of GET %s", target).isNull();
      assertThat(reply.header("X-Powered-By")).as("X-Powered-By of GET %s", target).isNull();
      assertThat(reply.body()).as("body of GET %s", target).doesNotContainIgnoringCase("jetty");
    }
  }

  private static void assertJsonError(RawHttp.Reply reply, String what) {
    assertThat(reply.status()).as("status for %s: %s", what, reply.body()).isBetween(400, 499);
    assertThat(reply.header("Content-Type")).as("Content-Type for %s", what).startsWith("application/json");
    assertThat(reply.header("Server")).as("Server header for %s", what).isNull();
    assertThat(reply.body()).doesNotContain("<html", "Exception", "at org.", "at io.");
    JsonObject error = JsonParser.parseString(reply.body()).getAsJsonObject().getAsJsonObject("error");
    assertThat(error.get("status").getAsInt()).isEqualTo(reply.status());
    assertThat(error.get("message").getAsString()).isNotBlank();
  }
}
