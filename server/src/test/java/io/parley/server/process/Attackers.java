package io.parley.server.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * What the attacks are made of: plain sockets from a loopback address of their own, HTTP/1.1
 * written by hand (a request whose answer is never read, a body that never finishes) and read by
 * hand (keep-alive loops), and the JSON-RPC texts they send.
 *
 * <p>Attackers connect from {@link #ADDRESS}, the victim and the probes from 127.0.0.1: the server
 * counts them as different clients, as it would an attacker and a user on the internet, so a limit
 * per client address that stops the attacker is not what the victim runs into.
 */
final class Attackers {
  /** Loopback, but not 127.0.0.1: Linux routes all of 127.0.0.0/8 to the loopback interface. */
  static final InetAddress ADDRESS = address("127.0.0.2");
  /** A receive window this small makes the server, not the kernel, hold what the attacker does not read. */
  static final int SMALL_RECEIVE_BUFFER = 4096;

  private Attackers() {}

  /** A TCP connection from {@link #ADDRESS} to the server on 127.0.0.1; {@code receiveBuffer} 0 for the default. */
  static Socket connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.bind(new InetSocketAddress(ADDRESS, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  static void write(Socket socket, String ascii) throws IOException {
    socket.getOutputStream().write(ascii.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** A keep-alive GET of {@code target}, with these extra header lines (each without CRLF). */
  static String get(int port, String target, String... headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + lines(headers) + "\r\n";
  }

  /** A whole keep-alive POST with a JSON body. */
  static String post(int port, String target, String json) {
    return postHead(port, target, json.getBytes(StandardCharsets.UTF_8).length) + json;
  }

  /** The head of a POST declaring {@code length} body bytes; the body is the caller's to send (or not). */
  static String postHead(int port, String target, int length) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\n\r\n";
  }

  private static String lines(String... headers) {
    StringBuilder b = new StringBuilder();
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.toString();
  }

  /** {@code chat.history} of {@code room}, the newest {@code limit}, as one request. */
  static String history(long id, String room, int limit) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"chat.history\",\"params\":{\"room\":\"" + room
        + "\",\"limit\":" + limit + "}}";
  }

  /** A batch of {@code size} such calls, ids from {@code firstId}. */
  static String historyBatch(long firstId, int size, String room, int limit) {
    return batch(size, i -> history(firstId + i, room, limit));
  }

  static String batch(int size, IntFunction<String> member) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      b.append(i == 0 ? "" : ",").append(member.apply(i));
    }
    return b.append(']').toString();
  }

  /** The status of one HTTP/1.1 answer read whole (length-delimited or chunked), or -1 if the server closed first. */
  record Answer(int status, boolean close) {}

  static Answer readAnswer(InputStream in) throws IOException {
    String head = readLine(in);
    if (head == null) {
      return new Answer(-1, true);
    }
    int status = Integer.parseInt(head.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (chunked) {
      for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
        in.skipNBytes(size + 2);
      }
      readLine(in); // the empty line after the last chunk (no trailers expected)
    } else if (length >= 0) {
      in.skipNBytes(length);
    } else {
      in.transferTo(OutputStream.nullOutputStream());
      close = true;
    }
    return new Answer(status, close);
  }

  private static long chunkSize(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      throw new IOException("connection closed inside a chunked body");
    }
    int semicolon = line.indexOf(';');
    return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
  }

  /** One CRLF-terminated line without its end, or null at the end of the stream before any byte. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new IOException("connection closed inside a line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /**
   * An attacker's paced loop: {@code step} runs every {@code period} on a thread of its own until
   * the loop is closed or a step fails with an {@link IOException} (a write the server refused by
   * closing or resetting the connection), whose time is kept. A step blocked in a write (the server
   * stopped reading) ends when its socket is closed, not when the loop is.
   */
  static final class Loop implements AutoCloseable {
    interface Step {
      void run(long n) throws IOException;
    }

    private final ScheduledExecutorService thread;
    private final AtomicLong steps = new AtomicLong();
    private final long startedAt = System.nanoTime();
    private volatile IOException failure;
    private volatile long failedAt;

    Loop(String name, long periodMillis, Step step) {
      thread = Executors.newSingleThreadScheduledExecutor(Probe.daemon(name));
      thread.scheduleAtFixedRate(() -> {
        try {
          step.run(steps.get());
          steps.incrementAndGet();
        } catch (IOException e) {
          failedAt = System.nanoTime();
          failure = e;
          throw new UncheckedIOException(e); // ends the schedule
        }
      }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Steps completed. */
    long steps() {
      return steps.get();
    }

    boolean failed() {
      return failure != null;
    }

    /** What the failing step saw, and how long after the loop started; or "none". */
    String failure() {
      return failure == null ? "none" : String.format("%s after %.1f s", failure, (failedAt - startedAt) / 1e9);
    }

    /** Seconds from the start of the loop to the failing step. */
    double secondsToFailure() {
      return failure == null ? Double.NaN : (failedAt - startedAt) / 1e9;
    }

    @Override
    public void close() {
      thread.shutdownNow();
    }
  }

  /** Closes every socket, ignoring failures (the server may have closed them already). */
  static void closeAll(List<? extends AutoCloseable> sockets) {
    for (AutoCloseable s : sockets) {
      try {
        s.close();
      } catch (Exception e) {
        // already gone
      }
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new UncheckedIOException(e);
    }
  }
}
