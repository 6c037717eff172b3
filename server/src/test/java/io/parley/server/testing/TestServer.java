package io.parley.server.testing;

import io.parley.server.ParleyServer;
import io.parley.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A real Parley server on a free port for one test class, on the embedded store (a temporary
 * folder) or on the test PostgreSQL (a fresh schema, dropped on close).
 */
public final class TestServer implements AutoCloseable {
  /** Which store the server runs on. */
  public enum Store { EMBEDDED, POSTGRES }

  /** The rate and burst test servers run with unless a test sets its own: no practical limit. */
  public static final int UNLIMITED_RATE = 1_000_000;
  private static final int TEST_RESTART_SPREAD_MS = 1_000;

  private final ParleyServer server;
  private final String schema;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestServer(ParleyServer server, String schema, Path dataDir) {
    this.server = server;
    this.schema = schema;
    this.dataDir = dataDir;
  }

  public static TestServer start(Store store) {
    return start(store, UnaryOperator.identity());
  }

  /** Starts with the defaults changed by {@code tweak} (the port and store are set here). */
  public static TestServer start(Store store, UnaryOperator<ServerConfig> tweak) {
    try {
      Path dataDir = Files.createTempDirectory("parley-test");
      // Load-style tests (bench, streaming, recovery fills) call far faster than the default
      // 200/s; the rate limit is lifted here and tested on its own in io.parley.server.limits.
      ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dataDir)
          .withSessionLimits(UNLIMITED_RATE, UNLIMITED_RATE, ServerConfig.DEFAULT_MAX_SESSIONS_PER_ADDRESS,
              ServerConfig.DEFAULT_MAX_ROOMS_PER_SESSION, ServerConfig.DEFAULT_PING_INTERVAL)
          // Tests restart servers under SDK clients; the default 5 s spread would only slow them down.
          .toBuilder().restartSpreadMs(TEST_RESTART_SPREAD_MS).build();
      String schema = null;
      if (store == Store.POSTGRES) {
        TestPostgres.assumeAvailable();
        schema = TestPostgres.freshSchema();
        config = config.withDatabase(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, schema);
      }
      config = tweak.apply(config);
      return new TestServer(ParleyServer.start(config), schema, dataDir);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
  }

  /** Starts another server on the same store (same folder or schema), for restart tests. */
  public TestServer restart() {
    ServerConfig config = server.config();
    server.stop();
    try {
      return new TestServer(ParleyServer.start(config.withPort(0)), schema, dataDir);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not restart", e);
    }
  }

  /** Stops this server and starts a new one on the same port and store (for client reconnects). */
  public TestServer restartOnSamePort() {
    ServerConfig config = server.config().withPort(port());
    server.stop();
    try {
      return new TestServer(ParleyServer.start(config), schema, dataDir);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not restart on port " + config.port(), e);
    }
  }

  public int port() {
    return server.port();
  }

  public URI wsUri() {
    return URI.create("ws://127.0.0.1:" + port() + "/ws");
  }

  public URI httpUri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public WsClient connect() {
    return WsClient.connect(wsUri());
  }

  /** A WebSocket session that said hello as {@code user} and joined {@code room}. */
  public WsClient member(String user, String room) {
    WsClient client = connect();
    client.result("session.hello", "{\"name\":\"" + user + "\"}");
    client.result("room.join", "{\"room\":\"" + room + "\"}");
    return client;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(httpUri(path)).GET().build());
  }

  public HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(httpUri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }

  public ParleyServer server() {
    return server;
  }

  /** Stops the server but keeps the store (for restart tests, call {@link #restart()} instead). */
  public void stopOnly() {
    server.stop();
  }

  @Override
  public void close() {
    server.stop();
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
  }
}
