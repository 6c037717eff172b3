package io.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own, in a temporary folder, that the test may stop and start
 * (the shared one on 5432 must never be stopped). Trust authentication, a free port on 127.0.0.1,
 * the socket in the same folder, fsync and synchronous commit on, so a commit is as durable as in
 * production. {@link #close()} stops it (immediate) and deletes the folder.
 *
 * <p>The binaries come from the newest {@code /usr/lib/postgresql/<version>/bin} (or
 * {@code PARLEY_PG_BIN}). PostgreSQL refuses to run as root, so as root every command runs as
 * the {@code postgres} OS user through {@code runuser}. When the binaries (or runuser) are missing
 * the test is skipped, or fails with {@code PARLEY_REQUIRE_PG=1}, as with {@link TestPostgres}.
 *
 * <p>Threading: one test thread drives it; not for concurrent use.
 */
public final class PrivatePostgres implements AutoCloseable {
  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  /** pg_ctl's own bound for starting and stopping (its -t), in seconds. */
  private static final int PG_CTL_TIMEOUT_S = 30;
  /** How long any one command may run before it is killed and the test fails. */
  private static final long COMMAND_TIMEOUT_S = PG_CTL_TIMEOUT_S + 30;
  private static final Path VERSIONS = Paths.get("/usr/lib/postgresql");
  private static final String OS_USER = "postgres";

  /** How a stop treats open sessions; see {@code pg_ctl -m}. */
  public enum StopMode { FAST, IMMEDIATE }

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;
  private final Thread cleanup;
  private volatile boolean running;

  private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    // A test killed halfway must not leave a postmaster behind.
    this.cleanup = new Thread(this::stopQuietly, "private-postgres-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Creates and starts a fresh cluster, or skips (fails with PARLEY_REQUIRE_PG=1) if it cannot. */
  public static PrivatePostgres start() {
    Path bin = binaries().orElse(null);
    boolean root = "root".equals(System.getProperty("user.name"));
    String missing = bin == null ? "no initdb/pg_ctl under " + VERSIONS + " or PARLEY_PG_BIN"
        : root && !Files.isExecutable(Paths.get("/usr/sbin/runuser")) && !Files.isExecutable(Paths.get("/sbin/runuser"))
            ? "running as root and runuser is missing" : null;
    if (missing != null) {
      String message = "cannot create a private PostgreSQL cluster: " + missing;
      if ("1".equals(System.getenv("PARLEY_REQUIRE_PG"))) {
        throw new AssertionError(message + " and PARLEY_REQUIRE_PG=1");
      }
      System.err.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    PrivatePostgres pg;
    try {
      Path dir = Files.createTempDirectory("parley-pg");
      pg = new PrivatePostgres(bin, dir, freePort(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      pg.initdb();
      pg.startServer();
      return pg;
    } catch (RuntimeException | Error e) {
      pg.close();
      throw e;
    }
  }

  private static Optional<Path> binaries() {
    String configured = System.getenv("PARLEY_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Paths.get(configured)).filter(p -> Files.isExecutable(p.resolve("initdb")));
    }
    if (!Files.isDirectory(VERSIONS)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(VERSIONS)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(PrivatePostgres::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void initdb() {
    if (asPostgresUser) {
      run(List.of("chown", "-R", OS_USER + ":" + OS_USER, dir.toString()), false);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
        "-E", "UTF8", "--locale=C", "--no-sync"), asPostgresUser);
  }

  /** Starts the stopped cluster on its port; returns when it accepts connections. */
  public void startServer() {
    String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
        + " -c fsync=on -c synchronous_commit=on -c max_connections=50 -c shared_buffers=16MB";
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", String.valueOf(PG_CTL_TIMEOUT_S), "-o", options, "start"), asPostgresUser);
    running = true;
  }

  /** Stops the cluster; returns when the postmaster has exited. */
  public void stopServer(StopMode mode) {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t",
        String.valueOf(PG_CTL_TIMEOUT_S), "-m", mode.name().toLowerCase(java.util.Locale.ROOT), "stop"),
        asPostgresUser);
    running = false;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  /** A new connection to the cluster (for checks from the test). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, "");
  }

  private void run(List<String> command, boolean asPostgres) {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    full.addAll(command);
    Path output;
    try {
      output = Files.createTempFile("parley-pg-cmd", ".log");
      Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try {
        if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", full) + " did not finish within " + COMMAND_TIMEOUT_S + " s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(String.join(" ", full) + " failed with exit code " + process.exitValue()
              + ":\n" + Files.readString(output, StandardCharsets.UTF_8) + serverLog());
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", full) + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", full), e);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("log");
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private void stopQuietly() {
    if (running) {
      try {
        stopServer(StopMode.IMMEDIATE);
      } catch (RuntimeException | AssertionError e) {
        System.err.println("could not stop the private PostgreSQL in " + dir + ": " + e.getMessage());
      }
    }
  }

  /** Stops the cluster (immediate) and deletes its folder. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs (or ran) stopQuietly itself
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
