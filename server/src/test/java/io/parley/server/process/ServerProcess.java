package io.parley.server.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server jar run as a separate JVM, with its output captured line by line (for *IT tests). */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Parley listening on [^:]+:(\\d+)");
  /** The heap the server runs with unless a test asks for other JVM options. */
  private static final String DEFAULT_HEAP = "-Xmx256m";

  private final Process process;
  /** Not copy-on-write: a server under attack may log hundreds of thousands of lines. */
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private ServerProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("parley.server.jar", "target/parley-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no server jar at " + jar.toAbsolutePath() + "; run mvn verify");
    }
    return jar;
  }

  /**
   * The {@code java} that runs the jar: the one of the JDK named by the system property
   * {@code parley.server.java.home} (e.g. the runtime the Docker image ships, which has virtual
   * threads), else this test JVM's own.
   */
  static Path java() {
    String home = System.getProperty("parley.server.java.home", "");
    return Path.of(home.isBlank() ? System.getProperty("java.home") : home, "bin", "java");
  }

  public static ServerProcess start(Map<String, String> env, String... args) throws IOException {
    return start(List.of(DEFAULT_HEAP), env, args);
  }

  /** Like {@link #start(Map, String...)} with these JVM options (e.g. a smaller heap) instead of the default heap. */
  public static ServerProcess start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java().toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_"));
    builder.environment().putAll(env);
    return new ServerProcess(builder.start());
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process ended; what was read is kept
    } finally {
      port.completeExceptionally(new IllegalStateException("server ended before listening: " + output()));
    }
  }

  /** Waits for the "listening" log line and returns the bound port. */
  public int awaitPort() {
    return port.orTimeout(60, TimeUnit.SECONDS).join();
  }

  /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as an operator's {@code kill} or a container stop sends it. */
  public void terminate() {
    // Process.destroy() would also close our end of its stdout and lose the shutdown log lines.
    process.toHandle().destroy();
  }

  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("server did not exit within 60 s; output: " + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /** A snapshot of the lines the process printed so far. */
  public List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The operating system's id of the process, e.g. to read {@code /proc/<pid>/status}. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
