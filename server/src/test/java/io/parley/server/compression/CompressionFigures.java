package io.parley.server.compression;

import io.parley.server.process.ServerProcess;
import io.parley.server.testing.ChatText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of the "Compression" section of {@code docs/performance.md}; not a test (its name
 * keeps it out of {@code mvn verify}), it asserts nothing. Run it on the packaged jar:
 *
 * <pre>
 * mvn -B -q -pl server -am package -DskipTests
 * mvn -B -q -pl server -am -DskipITs -Dtest=CompressionFigures -Dsurefire.failIfNoSpecifiedTests=false verify
 * cat server/target/compression-figures.txt
 * </pre>
 *
 * <p>For each way a client may connect (no offer; permessage-deflate; permessage-deflate without
 * context takeover either way) it starts the jar in a JVM of its own ({@code -Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch}, so the heap is resident from the start and growth of the RSS is memory
 * outside it) and measures, with hand-written clients ({@link DeflateSocket}) that inflate and
 * deflate like a browser: echo of 200-character chat sentences (bytes on the wire per echo, both
 * ways, and the server's CPU per echo from {@code /proc/PID/stat}); a room's fan-out (100 members,
 * 40 messages a second for 5 s); and the server's RSS per session once each of 500 sessions has
 * sent one compressed message and received one (when both its compressor and its decompressor exist).
 */
@Timeout(600)
class CompressionFigures {
  private static final int ECHO_CONNECTIONS = 4;
  private static final int ECHOES_PER_CONNECTION = 5_000;
  private static final int MEMBERS = 200;
  private static final int FANOUT_RATE = 50;
  private static final int FANOUT_MESSAGES = 250;
  private static final int IDLE_SESSIONS = 500;
  private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private enum Mode {
    PLAIN(null),
    DEFLATE("permessage-deflate"),
    DEFLATE_NO_CONTEXT("permessage-deflate; server_no_context_takeover; client_no_context_takeover");

    final String offer;

    Mode(String offer) {
      this.offer = offer;
    }
  }

  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
        + " cores; sentences of ~200 characters (ChatText, seed 7)");
    lines.add(String.format("%-20s %12s %12s %12s | %12s %12s | %14s", "mode", "echo B up", "echo B down",
        "echo CPU us", "fan B/deliv", "fan CPU us", "RSS KiB/sess"));
    for (int round = 0; round < 2; round++) { // interleaved, so a busy moment of the machine hits every mode
      for (Mode mode : Mode.values()) {
        lines.add(run(mode, round));
        Files.write(Path.of("target", "compression-figures.txt"), lines, StandardCharsets.UTF_8);
      }
    }
    lines.addAll(codecAlone(new Random(7)));
    Files.write(Path.of("target", "compression-figures.txt"), lines, StandardCharsets.UTF_8);
    lines.forEach(System.out::println);
  }

  private String run(Mode mode, int round) throws Exception {
    Path data = Files.createDirectories(dir.resolve(mode.name() + round));
    Map<String, String> env = Map.of("PARLEY_PORT", "0", "PARLEY_DATA_DIR", data.toString(),
        "PARLEY_RATE_LIMIT", "1000000", "PARLEY_RATE_BURST", "1000000");
    try (ServerProcess server = ServerProcess.start(List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), env)) {
      int port = server.awaitPort();
      Random random = new Random(7);
      echo(port, mode, random, 500); // warm-up
      long echoCpu0 = cpuNanos(server.pid());
      Traffic echo = echo(port, mode, random, ECHOES_PER_CONNECTION);
      long echoCpu = cpuNanos(server.pid()) - echoCpu0;
      long echoes = (long) ECHO_CONNECTIONS * ECHOES_PER_CONNECTION;

      fanout(server.pid(), port, mode, random, "warm", 40); // warm-up
      Fanout fan = fanout(server.pid(), port, mode, random, "fan", FANOUT_MESSAGES);
      long fanBytes = fan.bytes();
      long fanCpu = fan.cpuNanos();
      long deliveries = (long) MEMBERS * FANOUT_MESSAGES;

      double rssPerSession = rssPerSession(server.pid(), port, mode, random);
      return String.format("%-20s %12.1f %12.1f %12.1f | %12.1f %12.2f | %14.1f", mode + " #" + round,
          (double) echo.up / echoes,
          (double) echo.down / echoes, echoCpu / 1000.0 / echoes, (double) fanBytes / deliveries,
          fanCpu / 1000.0 / deliveries, rssPerSession);
    }
  }

  /**
   * What the server's compression costs by itself: a chat.message notification (a 200-character
   * sentence in its JSON) deflated the way Jetty does it (one {@link Deflater} per connection,
   * {@code SYNC_FLUSH} per message, default level) and inflated back, on one thread of this JVM.
   */
  private static List<String> codecAlone(Random random) {
    int messages = 100_000;
    List<byte[]> json = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      json.add(("{\"jsonrpc\":\"2.0\",\"method\":\"chat.message\",\"params\":{\"room\":\"lobby\",\"seq\":" + (1000 + i)
          + ",\"from\":\"alice\",\"text\":\"" + ChatText.sentence(random, 200) + "\",\"ts\":\"2026-12-06T10:15:30.123Z\"}}")
          .getBytes(StandardCharsets.UTF_8));
    }
    List<String> out = new ArrayList<>();
    for (boolean takeover : new boolean[] {true, false}) {
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      Inflater inflater = new Inflater(true);
      byte[] plain = new byte[4096];
      byte[] out8k = new byte[8192]; // Jetty deflates into a pooled 8 KiB buffer
      long in = 0;
      long compressed = 0;
      long deflateNanos = 0;
      long inflateNanos = 0;
      try {
        for (int round = 0; round < 2; round++) { // the first round warms up
          in = compressed = deflateNanos = inflateNanos = 0;
          for (int i = 0; i < messages; i++) {
            byte[] message = json.get(i & 1023);
            long t0 = System.nanoTime();
            deflater.setInput(message);
            int length = deflater.deflate(out8k, 0, out8k.length, Deflater.SYNC_FLUSH);
            if (!takeover) {
              deflater.reset();
            }
            long t1 = System.nanoTime();
            inflater.setInput(out8k, 0, length);
            int n = inflater.inflate(plain);
            if (!takeover) {
              inflater.reset();
            }
            long t2 = System.nanoTime();
            if (n != message.length) {
              throw new AssertionError("inflated " + n + " of " + message.length);
            }
            in += message.length;
            compressed += length - 4; // the 00 00 ff ff tail is not sent
            deflateNanos += t1 - t0;
            inflateNanos += t2 - t1;
          }
        }
      } catch (java.util.zip.DataFormatException e) {
        throw new AssertionError(e);
      } finally {
        deflater.end();
        inflater.end();
      }
      out.add(String.format("codec alone, context takeover %-5s: %.0f -> %.0f bytes per chat.message (%.2f x),"
          + " deflate %.2f us, inflate %.2f us", takeover, (double) in / messages, (double) compressed / messages,
          (double) in / compressed, deflateNanos / 1000.0 / messages, inflateNanos / 1000.0 / messages));
    }
    return out;
  }

  private record Traffic(long up, long down) {}

  private record Fanout(long cpuNanos, long bytes) {}

  private static String echoRequest(int id, String text) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"echo\",\"params\":[\"" + text + "\"]}";
  }

  private static void send(DeflateSocket socket, Mode mode, String text) throws IOException {
    if (mode == Mode.PLAIN) {
      socket.sendPlain(text);
    } else {
      socket.sendCompressed(text);
    }
  }

  /** Closed-loop echoes on a few connections at once; wire bytes both ways. */
  private static Traffic echo(int port, Mode mode, Random random, int perConnection) throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      texts.add(ChatText.sentence(random, 200));
    }
    List<Thread> threads = new ArrayList<>();
    long[] up = new long[ECHO_CONNECTIONS];
    long[] down = new long[ECHO_CONNECTIONS];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int c = 0; c < ECHO_CONNECTIONS; c++) {
      int conn = c;
      Thread t = new Thread(() -> {
        try (DeflateSocket socket = new DeflateSocket(port, mode.offer)) {
          for (int i = 0; i < perConnection; i++) {
            // a fresh sentence each time: the texts rotate, and a number keeps them apart
            send(socket, mode, echoRequest(i, i + " " + texts.get((i * 7 + conn) & 255)));
            socket.readText();
          }
          up[conn] = socket.wireBytesWritten();
          down[conn] = socket.wireBytesRead();
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "echo-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    if (failure.get() != null) {
      throw new AssertionError("echo failed", failure.get());
    }
    long u = 0;
    long d = 0;
    for (int c = 0; c < ECHO_CONNECTIONS; c++) {
      u += up[c];
      d += down[c];
    }
    return new Traffic(u, d);
  }

  /**
   * {@code MEMBERS} members of a room, one of them sending at a steady rate: the server's CPU from
   * the first send to the last delivery read, and the wire bytes of the deliveries.
   */
  private static Fanout fanout(long pid, int port, Mode mode, Random random, String room, int messages) throws Exception {
    List<DeflateSocket> members = new ArrayList<>();
    try {
      for (int i = 0; i < MEMBERS; i++) {
        DeflateSocket m = new DeflateSocket(port, mode.offer);
        members.add(m);
        send(m, mode, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"room.join\",\"params\":{\"room\":\"" + room + "\"}}");
        while (!m.readText().contains("\"id\":1")) {
          // presence notifications of earlier joins may come first
        }
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> readers = new ArrayList<>();
      long[] bytes = new long[MEMBERS];
      for (int i = 0; i < MEMBERS; i++) {
        DeflateSocket m = members.get(i);
        int index = i;
        Thread reader = new Thread(() -> {
          try {
            int seen = 0;
            long start = m.wireBytesRead();
            long replies = 0;
            while (seen < messages) {
              long at = m.wireBytesRead();
              String text = m.readText();
              if (text.contains("\"method\":\"chat.message\"")) {
                seen++;
              } else {
                replies += m.wireBytesRead() - at; // the sender's own replies are not deliveries
              }
            }
            bytes[index] = m.wireBytesRead() - start - replies;
          } catch (Throwable e) {
            failure.set(e);
          }
        }, "member-" + i);
        reader.start();
        readers.add(reader);
      }
      DeflateSocket sender = members.get(0);
      long cpu0 = cpuNanos(pid);
      long interval = TimeUnit.SECONDS.toNanos(1) / FANOUT_RATE;
      long next = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        String text = i + " " + ChatText.sentence(random, 200);
        send(sender, mode, "{\"jsonrpc\":\"2.0\",\"id\":" + (i + 2) + ",\"method\":\"chat.send\",\"params\":{\"room\":\""
            + room + "\",\"text\":\"" + text + "\"}}");
        next += interval;
        LockSupport.parkNanos(next - System.nanoTime()); // pacing of the load, not a wait for a result
      }
      for (Thread r : readers) {
        r.join(TimeUnit.MINUTES.toMillis(2));
      }
      long cpu = cpuNanos(pid) - cpu0;
      if (failure.get() != null) {
        throw new AssertionError("fan-out failed", failure.get());
      }
      long total = 0;
      for (long b : bytes) {
        total += b;
      }
      return new Fanout(cpu, total);
    } finally {
      for (DeflateSocket m : members) {
        m.close();
      }
    }
  }

  /** The server's RSS growth per session, once each of {@code IDLE_SESSIONS} sent and received one message. */
  private static double rssPerSession(long pid, int port, Mode mode, Random random) throws Exception {
    String text = ChatText.sentence(random, 200);
    long before = rssKib(pid);
    List<DeflateSocket> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < IDLE_SESSIONS; i++) {
        DeflateSocket s = new DeflateSocket(port, mode.offer);
        sessions.add(s);
        send(s, mode, echoRequest(i, text));
        s.readText();
      }
      return (double) (rssKib(pid) - before) / IDLE_SESSIONS;
    } finally {
      for (DeflateSocket s : sessions) {
        s.close();
      }
    }
  }

  private static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NANOS; // utime, stime
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }
}
