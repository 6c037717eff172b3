package io.parley.server.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.process.ServerProcess;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs against the packaged jar running with a heap smaller than one bomb
 * inflated: 8 attackers send 160 compressed frames of about 60 KB (under the 64 KiB frame limit)
 * that would each inflate to 60 MiB, 9.4 GiB in all. Each must be closed with 1009, the server
 * must never run out of memory (one inflated bomb would not fit in its heap), and a victim on its
 * own connection keeps being served throughout and after.
 */
@Timeout(180)
class CompressionBombIT {
  private static final int HEAP_MB = 48;
  private static final int ATTACKERS = 8;
  private static final int BOMBS_EACH = 20;
  private static final int INFLATED = 60 * 1024 * 1024;
  private static final Pattern HEAP_LINE = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\".*\\} (\\S+)$");

  @TempDir Path data;

  @Test
  void bombsAreClosedWith1009AndTheServerNeitherRunsOutOfMemoryNorStopsServingOthers() throws Exception {
    assertThat(INFLATED).as("one inflated bomb does not fit in the server's heap").isGreaterThan(HEAP_MB * 1024 * 1024);
    byte[] bomb = CompressionBombTest.bomb(INFLATED);
    assertThat(bomb.length).as("the compressed frame is within the frame limit").isLessThan(65536);
    Map<String, String> env = Map.of("PARLEY_PORT", "0", "PARLEY_DATA_DIR", data.toString());
    try (ServerProcess server = ServerProcess.start(List.of("-Xmx" + HEAP_MB + "m"), env)) {
      int port = server.awaitPort();
      URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      ConcurrentLinkedQueue<Integer> codes = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicLong peakHeap = new AtomicLong();
      try (WsClient victim = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
        List<Thread> attackers = new ArrayList<>();
        for (int a = 0; a < ATTACKERS; a++) {
          Thread t = new Thread(() -> {
            for (int i = 0; i < BOMBS_EACH; i++) {
              try (DeflateSocket raw = new DeflateSocket(port, "permessage-deflate")) {
                raw.send(DeflateSocket.TEXT, true, true, bomb);
                codes.add(raw.read().closeCode());
              } catch (Throwable e) {
                failures.add(e);
              }
            }
          }, "bomber-" + a);
          t.start();
          attackers.add(t);
        }
        int served = 0;
        while (attackers.stream().anyMatch(Thread::isAlive)) {
          assertThat(victim.result("echo", "{\"n\":" + served + "}").get("n").getAsInt()).isEqualTo(served);
          served++;
          peakHeap.accumulateAndGet(heapUsed(http, metrics), Math::max);
        }
        for (Thread t : attackers) {
          t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(failures).as("attackers' own failures").isEmpty();
        assertThat(codes).as("close codes").hasSize(ATTACKERS * BOMBS_EACH).containsOnly(1009);
        assertThat(victim.result("echo", "{\"after\":true}").toString()).isEqualTo("{\"after\":true}");
        assertThat(victim.isClosed()).isFalse();
        assertThat(served).as("victim echoes during the attack").isPositive();
      }
      assertThat(server.output()).as("peak heap seen %d bytes", peakHeap.get())
          .noneMatch(line -> line.contains("OutOfMemoryError"));
      assertThat(peakHeap.get()).isLessThan(HEAP_MB * 1024L * 1024L);
    }
  }

  private static long heapUsed(HttpClient http, URI metrics) throws Exception {
    String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    long sum = 0;
    Matcher m = HEAP_LINE.matcher(body);
    while (m.find()) {
      sum += (long) Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
