package io.parley.server.backend;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An application backend on loopback for the proxy tests: a real HTTP server (the JDK's) with a
 * {@code /connect} and a {@code /publish} endpoint, each answering what the test's function says
 * for the request's JSON body. It records every request (body and the headers the proxies send),
 * checks {@code Parley-Signature} when given a secret (written from the contract, not taken from
 * the server), and can hold answers until {@link #release()}. Thread-safe.
 */
final class AppBackend implements AutoCloseable {

  /** An answer: status, JSON body, and how long to wait before sending it; {@code hold} waits for {@link #release()}. */
  record Reply(int status, String body, long delayMs, boolean hold, CountDownLatch gate) {
    Reply(int status, String body, long delayMs, boolean hold) {
      this(status, body, delayMs, hold, null);
    }

    static Reply ok(String body) {
      return new Reply(200, body, 0, false);
    }

    static Reply refuse(String reason) {
      JsonObject o = new JsonObject();
      o.addProperty("reason", reason);
      return new Reply(403, o.toString(), 0, false);
    }

    static Reply held(Reply then) {
      return new Reply(then.status, then.body, 0, true);
    }

    /** Waits for {@code gate} (a test's own, unlike {@link #held}'s shared one; at most 30 s) before answering. */
    static Reply heldBy(CountDownLatch gate, Reply then) {
      return new Reply(then.status, then.body, 0, false, gate);
    }

    Reply after(long ms) {
      return new Reply(status, body, ms, hold, gate);
    }
  }

  /** A request as received. */
  record Received(String path, JsonObject body, String timestamp, String signature, String problem) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(64);
  private final String secret;
  private final List<Received> received = new ArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Function<JsonObject, Reply> connect = body -> Reply.refuse("no connect answer set");
  private volatile Function<JsonObject, Reply> publish = body -> Reply.ok("{}");
  private int answered;

  /** @param secret the webhook secret the server signs with, or {@code null} (then no signature is expected) */
  AppBackend(String secret) throws IOException {
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.createContext("/connect", exchange -> handle(exchange, connect));
    server.createContext("/publish", exchange -> handle(exchange, publish));
    server.createContext("/hooks", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.setExecutor(threads);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  void onConnect(Function<JsonObject, Reply> answer) {
    connect = answer;
  }

  void onPublish(Function<JsonObject, Reply> answer) {
    publish = answer;
  }

  /** Lets every held answer (and later ones) go. */
  void release() {
    released.countDown();
  }

  synchronized List<Received> received(String path) {
    return received.stream().filter(r -> r.path.equals(path)).toList();
  }

  synchronized int answered() {
    return answered;
  }

  synchronized boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private void handle(HttpExchange exchange, Function<JsonObject, Reply> answers) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    String body = new String(bytes, StandardCharsets.UTF_8);
    String timestamp = exchange.getRequestHeaders().getFirst("Parley-Timestamp");
    String signature = exchange.getRequestHeaders().getFirst("Parley-Signature");
    JsonObject json = JsonParser.parseString(body).getAsJsonObject();
    synchronized (this) {
      received.add(new Received(exchange.getHttpContext().getPath(), json, timestamp, signature,
          check(exchange, timestamp, signature, body)));
      notifyAll();
    }
    Reply reply = answers.apply(json);
    try {
      if (reply.gate != null) {
        reply.gate.await(30, TimeUnit.SECONDS);
      } else if (reply.hold) {
        released.await(30, TimeUnit.SECONDS);
      } else if (reply.delayMs > 0) {
        Thread.sleep(reply.delayMs); // the backend's own pace, not a test's synchronisation
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
    try {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(out);
        }
      }
    } catch (IOException gone) {
      // the server gave up on this request (its timeout): nothing to answer
    } finally {
      exchange.close();
      synchronized (this) {
        answered++;
        notifyAll();
      }
    }
  }

  /** Why the request breaks the contract, or null. */
  private String check(HttpExchange exchange, String timestamp, String signature, String body) {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return "method " + exchange.getRequestMethod();
    }
    if (timestamp == null || !timestamp.matches("\\d+")
        || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
      return "bad Parley-Timestamp: " + timestamp;
    }
    if (secret == null) {
      return signature == null ? null : "a signature without a secret";
    }
    String expected = "t=" + timestamp + ",v1=" + hmac(timestamp + "." + body);
    if (signature == null || !MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8))) {
      return "bad Parley-Signature: " + signature;
    }
    return null;
  }

  private String hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    threads.shutdownNow();
  }
}
