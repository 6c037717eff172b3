package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built jars as an application on the module path sees them: only {@code requires
 * io.parley.client}, in a layer of its own with no class path behind it. The SDK must resolve its
 * own dependencies (it once was an automatic module, which resolved none and died with {@code
 * NoClassDefFoundError: org/slf4j/LoggerFactory}) and must work there: Jetty opens a WebSocket to
 * a one-shot server that closes it with 1008, and the client reports that close.
 */
@Timeout(30)
class ModulePathIT {

  @Test
  void anApplicationRequiringTheSdkResolvesItsDependenciesAndConnects() throws Exception {
    Configuration config = ModuleLayer.boot().configuration()
        .resolve(ModuleFinder.of(modulePath()), ModuleFinder.of(), Set.of("io.parley.client"));
    assertThat(config.modules().stream().map(ResolvedModule::name))
        .contains("io.parley.client", "io.parley.protocol", "com.google.gson", "org.slf4j",
            "org.eclipse.jetty.websocket.client");
    assertThat(config.findModule("io.parley.client").orElseThrow().reference().descriptor().isAutomatic()).isFalse();
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
    Class<?> api = layer.findLoader("io.parley.client").loadClass("io.parley.client.ParleyClient");
    assertThat(api.getModule().getName()).isEqualTo("io.parley.client");

    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> acceptAndClose(server));
      Object builder = api.getMethod("builder").invoke(null);
      builder.getClass().getMethod("endpoint", String.class)
          .invoke(builder, "ws://127.0.0.1:" + server.getLocalPort() + "/ws");
      AutoCloseable client = (AutoCloseable) builder.getClass().getMethod("build").invoke(builder);
      try (client) {
        CompletableFuture<?> connected = (CompletableFuture<?>) api.getMethod("connect").invoke(client);
        Throwable failure = failureOf(connected);
        assertThat(failure.getClass().getName()).isEqualTo("io.parley.client.ConnectionClosedException");
        assertThat(failure.getClass().getModule()).isSameAs(api.getModule());
        assertThat(failure).hasMessageContaining("1008").hasMessageContaining("go away");
      }
      served.get(10, TimeUnit.SECONDS);
    }
  }

  /** The built client jar, then every jar the tests run with (the SDK's dependencies among them). */
  private static Path[] modulePath() {
    List<Path> path = new ArrayList<>();
    Path sdk = Path.of(System.getProperty("parley.client.jar", "target/missing.jar"));
    assertThat(sdk).as("the packaged SDK (run in verify)").exists();
    path.add(sdk);
    Stream.of("jdk.module.path", "java.class.path")
        .map(System::getProperty)
        .filter(value -> value != null && !value.isEmpty())
        .flatMap(value -> Stream.of(value.split(java.io.File.pathSeparator)))
        .map(Path::of)
        .filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p) && !p.equals(sdk))
        .forEach(path::add);
    return path.toArray(Path[]::new);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("connect succeeded against a server that only closes");
  }

  /** A WebSocket server of one connection: accepts the upgrade, then closes with 1008 "go away". */
  private static void acceptAndClose(ServerSocket server) {
    try (Socket socket = server.accept()) {
      socket.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String key = null;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
          key = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      byte[] reason = "go away".getBytes(StandardCharsets.UTF_8);
      out.write(new byte[] {(byte) 0x88, (byte) (2 + reason.length), 0x03, (byte) 0xF0});
      out.write(reason);
      out.flush();
      // Wait for the client's side of the close (or its end of the connection), then hang up.
      socket.getInputStream().read();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
