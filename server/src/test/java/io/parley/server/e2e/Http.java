package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Plain HTTP calls on a test server, and the contract's JSON error shape. */
final class Http {
  private Http() {}

  /** Any method, with a JSON body or none. */
  static HttpResponse<String> call(TestServer server, String method, String path, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(server.httpUri(path)).timeout(Duration.ofSeconds(10));
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return server.send(builder.build());
  }

  static JsonObject json(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).as("Content-Type of %s", response.uri())
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return Wire.object(response.body());
  }

  /**
   * Posts a body over the 64 KiB limit {@code tries} times (a plain POST, no
   * {@code Expect: 100-continue}) and asserts every attempt is answered 413 with the JSON error. The
   * server may stop reading and close, but a client must still get to read the answer, so an
   * attempt that ends with no answer at all (the connection reset while the body was on its way)
   * counts as a failure; it is intermittent, hence the repetitions.
   */
  static void assertEveryOversizeBodyIsAnswered413(TestServer server, String path, String before, String after,
      int tries) {
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < tries; i++) {
      String body = before + "z".repeat(i % 2 == 0 ? 70_000 : 300_000) + after;
      HttpResponse<String> response;
      try {
        response = server.post(path, body);
      } catch (IllegalStateException e) {
        unanswered.add("attempt " + i + ": " + (e.getCause() == null ? e : e.getCause()));
        continue;
      }
      assertError(response, 413);
    }
    assertThat(unanswered).as("POSTs of %s over the limit that got no 413 answer, of %d", path, tries).isEmpty();
  }

  /** Asserts {@code {"error": {"status": status, "message": string}}} with that status, and no stack trace. */
  static JsonObject assertError(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as("status of %s %s: %s", response.request().method(), response.uri(),
        response.body()).isEqualTo(status);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    JsonObject error = json(response).getAsJsonObject("error");
    assertThat(error).as("error object in %s", response.body()).isNotNull();
    assertThat(error.get("status").getAsInt()).isEqualTo(status);
    assertThat(error.get("message").getAsJsonPrimitive().isString()).isTrue();
    return error;
  }
}
