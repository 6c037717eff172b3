package io.parley.server.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * NATS for tests: the machine's server at {@code PARLEY_TEST_NATS_URL} (default
 * {@code nats://127.0.0.1:4222}), or a private {@code nats-server} process the test can stop and
 * start. Skipped with a message when neither is there, unless {@code PARLEY_REQUIRE_NATS=1}.
 */
public final class TestNats implements AutoCloseable {
  public static final String URL = System.getenv().getOrDefault("PARLEY_TEST_NATS_URL", "nats://127.0.0.1:4222");
  private static final Path BINARY = Path.of(System.getenv().getOrDefault("PARLEY_TEST_NATS_SERVER", "/usr/sbin/nats-server"));

  private final int port;
  private Process process;

  private TestNats(int port) {
    this.port = port;
  }

  /** Skips the test (or fails it, with {@code PARLEY_REQUIRE_NATS=1}) unless the shared NATS answers. */
  public static void assumeShared() {
    java.net.URI uri = java.net.URI.create(URL);
    if (!answers(uri.getHost(), uri.getPort())) {
      skip("NATS at " + URL + " is not reachable");
    }
  }

  /** A private server on a free port, started. */
  static TestNats startPrivate() throws IOException {
    if (!Files.isExecutable(BINARY)) {
      skip("no nats-server binary at " + BINARY);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestNats nats = new TestNats(port);
    nats.start();
    return nats;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  void start() throws IOException {
    process = new ProcessBuilder(BINARY.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answers("127.0.0.1", port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("private nats-server did not answer on port " + port);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  void stop() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      stop();
    }
  }

  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void skip(String why) {
    if ("1".equals(System.getenv("PARLEY_REQUIRE_NATS"))) {
      throw new AssertionError(why + " and PARLEY_REQUIRE_NATS=1");
    }
    System.err.println("SKIPPED: " + why);
    Assumptions.abort(why);
  }
}
