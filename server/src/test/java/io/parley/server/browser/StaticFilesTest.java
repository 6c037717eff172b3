package io.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The page's files over plain HTTP: types, security headers, caching, and nothing outside {@code web/}. */
@Timeout(60)
class StaticFilesTest {
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
  @CsvSource({
      "/, text/html; charset=utf-8",
      "/index.html, text/html; charset=utf-8",
      "/app.js, text/javascript; charset=utf-8",
      "/js/parley.js, text/javascript; charset=utf-8",
      "/js/chatlayer.js, text/javascript; charset=utf-8",
      "/style.css, text/css; charset=utf-8"})
  void servesEachFileWithItsTypeAndStrictHeaders(String path, String type) {
    HttpResponse<String> response = server.get(path);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(type);
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'")
            .doesNotContain("unsafe-inline", "unsafe-eval"));
    assertThat(response.headers().firstValue("ETag")).isPresent();
    assertThat(response.body())
        .as("no third-party URLs: the page must work without the internet")
        .doesNotContain("http://", "https://", "//cdn", "url(");
  }

  @Test
  void thePageHasNoInlineScriptOrStyle() {
    String html = server.get("/").body();
    assertThat(html).containsIgnoringCase("<!doctype html>")
        .contains("<script type=\"module\" src=\"/app.js\"></script>")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContain("<style", "style=\"", "onclick", "onload");
  }

  @Test
  void anUnchangedFileIsNotSentAgain() {
    String etag = server.get("/js/parley.js").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = server.send(HttpRequest.newBuilder(server.httpUri("/js/parley.js"))
        .header("If-None-Match", etag).build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void headAnswersWithoutABody() {
    RawHttp.Reply reply = RawHttp.send(server.port(), "HEAD", "/app.js");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/javascript");
    assertThat(reply.body()).isEmpty();
  }

  @Test
  void otherMethodsAre405() {
    HttpResponse<String> response = server.post("/app.js", "{}");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.body()).contains("\"status\":405");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/nope.js", "/logback.xml", "/openrpc.json", "/web/index.html", "/js/", "/js", "/.hidden.js",
      "/js/../../logback.xml", "/%2e%2e/logback.xml", "/js/%2e%2e/%2e%2e/logback.xml", "/..%2flogback.xml",
      "/js/..%2f..%2flogback.xml", "/%2E%2E/%2E%2E/pom.xml", "/index.html%00.js", "/js\\..\\..\\logback.xml",
      "/io/parley/server/Main.class", "/META-INF/MANIFEST.MF"})
  void nothingOutsideTheWebFolderIsServed(String target) {
    RawHttp.Reply reply = RawHttp.send(server.port(), "GET", target);
    assertThat(reply.status()).as("GET %s", target).isIn(400, 404);
    assertThat(reply.body()).doesNotContain("<configuration>", "\"openrpc\"", "Main-Class", "class ParleyClient");
  }

  @Test
  void unknownPathsKeepTheJson404() {
    HttpResponse<String> response = server.get("/no/such/page");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(response.body()).contains("\"status\":404");
  }
}
