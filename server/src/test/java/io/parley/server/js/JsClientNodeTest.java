package io.parley.server.js;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.parley.server.config.ProxySettings;
import io.parley.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JavaScript package's own checks, run by the build: {@code node --test} in {@code clients/js}
 * against real servers on free ports (an open one in {@code PARLEY_TEST_PORT}; one in token mode in
 * {@code PARLEY_TEST_TOKEN_PORT}, its secret in {@code PARLEY_TEST_JWT_SECRET}; one whose connect
 * proxy is a small backend here in {@code PARLEY_TEST_PROXY_PORT}), and {@code tsc
 * --strict} over the typed example. Each prints Node's output and must exit with 0.
 *
 * <p>Needs Node (18 or later) and the package's pinned dev dependencies ({@code npm ci} in
 * {@code clients/js}). Without them the tests skip with a {@code SKIPPED:} line, unless
 * {@code PARLEY_REQUIRE_NODE=1} (set by {@code .ci/run}, which also runs {@code npm ci}) makes
 * that a failure.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JsClientNodeTest {
  private static final Path PACKAGE = Path.of("..", "clients", "js").toAbsolutePath().normalize();
  private static final long NODE_TIMEOUT_SECONDS = 240;

  @BeforeAll
  static void nodeAndDependenciesPresent() {
    String missing = null;
    if (!runs("node", "--version")) {
      missing = "no `node` on PATH (Node 18 or later runs the JavaScript client's tests)";
    } else if (!Files.isDirectory(PACKAGE.resolve("node_modules/ws"))
        || !Files.isDirectory(PACKAGE.resolve("node_modules/typescript"))) {
      missing = "no dev dependencies in " + PACKAGE + " (run `npm ci` there)";
    }
    if (missing == null) {
      return;
    }
    if ("1".equals(System.getenv("PARLEY_REQUIRE_NODE"))) {
      throw new AssertionError(missing + " and PARLEY_REQUIRE_NODE=1");
    }
    System.err.println("SKIPPED: " + missing);
    Assumptions.abort(missing);
  }

  @Test
  void nodeTestsPassAgainstARealServer() throws Exception {
    String secret = "js-client-test-" + UUID.randomUUID();
    HttpServer backend = connectBackend();
    URI connect = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/connect");
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED);
        TestServer tokenServer = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withJwtSecret(secret));
        TestServer proxyServer = TestServer.start(TestServer.Store.EMBEDDED,
            c -> c.toBuilder().proxies(ProxySettings.NONE.withConnect(connect)).build())) {
      List<String> command = new ArrayList<>(List.of("node", "--test"));
      try (Stream<Path> files = Files.list(PACKAGE.resolve("test"))) {
        files.map(f -> PACKAGE.relativize(f).toString()).filter(f -> f.endsWith(".test.js")).sorted()
            .forEach(command::add);
      }
      assertThat(command).as("test files").hasSizeGreaterThan(2);
      assertThat(run(command, Map.of("PARLEY_TEST_PORT", Integer.toString(server.port()),
          "PARLEY_TEST_TOKEN_PORT", Integer.toString(tokenServer.port()), "PARLEY_TEST_JWT_SECRET", secret,
          "PARLEY_TEST_PROXY_PORT", Integer.toString(proxyServer.port())))).isZero();
    } finally {
      backend.stop(0);
    }
  }

  /**
   * The app backend of the connect-proxy server ({@code PARLEY_TEST_PROXY_PORT}): admits
   * credentials {@code {"user": name}} as that user, refuses anything else with "no user".
   */
  private static HttpServer connectBackend() throws IOException {
    HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/connect", exchange -> {
      JsonObject request = JsonParser.parseString(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)).getAsJsonObject();
      JsonElement credentials = request.get("credentials");
      boolean admit = credentials != null && credentials.isJsonObject() && credentials.getAsJsonObject().has("user");
      JsonObject answer = new JsonObject();
      if (admit) {
        answer.add("user", credentials.getAsJsonObject().get("user"));
      } else {
        answer.addProperty("reason", "no user");
      }
      byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(admit ? 200 : 403, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    backend.start();
    return backend;
  }

  @Test
  void typingsCheckWithTscStrict() throws Exception {
    assertThat(run(List.of("node", "node_modules/typescript/bin/tsc", "-p", "example/tsconfig.json"), Map.of()))
        .isZero();
  }

  /** Runs {@code command} in the package folder, prints its output, and returns its exit code. */
  private static int run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(PACKAGE.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Path log = Files.createTempFile("parley-js-", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    try {
      boolean exited = process.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      System.out.println("$ " + String.join(" ", command) + "\n" + Files.readString(log, StandardCharsets.UTF_8));
      assertThat(exited).as(String.join(" ", command) + " finished within " + NODE_TIMEOUT_SECONDS + " s").isTrue();
      return process.exitValue();
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  private static boolean runs(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
