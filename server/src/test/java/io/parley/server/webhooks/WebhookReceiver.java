package io.parley.server.webhooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An app backend on loopback for webhook tests: a real HTTP server that checks every request's
 * {@code Parley-Signature} the way the contract defines it (written here from the contract, not
 * taken from the server's code), records the events of the requests it answers 2xx, and answers
 * the status a test sets. Thread-safe: requests arrive on its own threads, tests read from theirs.
 */
final class WebhookReceiver implements AutoCloseable {

  /** An event as received: the JSON object, and the node-independent order it arrived in. */
  record Received(String id, String type, String ts, JsonObject data) {}

  /**
   * The status that makes the receiver hold a request unanswered until {@link #answer} changes or it
   * closes; then it is answered 503 and its events are not recorded (its sender has given up on it).
   */
  static final int HANG = 0;

  private final HttpServer server;
  private final String secret;
  private final List<Received> accepted = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private int status = 200;
  private int requests;
  private int refused;
  private boolean closed;

  WebhookReceiver(String secret) throws IOException {
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hooks", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
  }

  /** The status later requests are answered with; a non-2xx one records nothing. */
  synchronized void answer(int newStatus) {
    status = newStatus;
    notifyAll();
  }

  synchronized List<Received> accepted() {
    return List.copyOf(accepted);
  }

  /**
   * The {@code message.stored} events among {@link #accepted()}: the presence events (room.occupied,
   * user.online, ...) of the sessions a test sends through come alongside them.
   */
  synchronized List<Received> stored() {
    return accepted.stream().filter(r -> r.type().equals("message.stored")).toList();
  }

  /** The message events among {@link #accepted()} ({@code message.stored}, {@code message.changed}). */
  synchronized List<Received> messages() {
    return accepted.stream().filter(r -> r.type().startsWith("message.")).toList();
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  synchronized int requests() {
    return requests;
  }

  synchronized int refused() {
    return refused;
  }

  /** Waits until {@code done} holds, at most {@code timeout}; false if it never did. */
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

  private void handle(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    String body = new String(bytes, StandardCharsets.UTF_8);
    String problem = check(exchange, body);
    int answer;
    synchronized (this) {
      requests++;
      notifyAll();
      boolean held = false;
      while (status == HANG && !closed) {
        held = true;
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      answer = held ? 503 : status;
      if (problem != null) {
        problems.add(problem);
        answer = 400;
      } else if (answer >= 200 && answer < 300) {
        for (JsonElement e : JsonParser.parseString(body).getAsJsonArray()) {
          JsonObject event = e.getAsJsonObject();
          accepted.add(new Received(event.get("id").getAsString(), event.get("type").getAsString(),
              event.get("ts").getAsString(), event.getAsJsonObject("data")));
        }
      } else {
        refused++;
      }
      notifyAll();
    }
    exchange.sendResponseHeaders(answer, -1);
    exchange.close();
  }

  /** Why the request is not a valid webhook request, or null if it is. */
  private String check(HttpExchange exchange, String body) {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return "method " + exchange.getRequestMethod();
    }
    String header = exchange.getRequestHeaders().getFirst("Parley-Signature");
    if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
      return "bad Parley-Signature: " + header;
    }
    String t = header.substring(2, header.indexOf(','));
    String v1 = header.substring(header.indexOf("v1=") + 3);
    if (!MessageDigest.isEqual(hmac(t + "." + body).getBytes(StandardCharsets.US_ASCII),
        v1.getBytes(StandardCharsets.US_ASCII))) {
      return "signature does not match the body: " + header;
    }
    long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t));
    if (age > 300) {
      return "timestamp " + age + " s away from now";
    }
    JsonElement parsed = JsonParser.parseString(body);
    if (!parsed.isJsonArray() || parsed.getAsJsonArray().isEmpty()) {
      return "body is not a non-empty array: " + body;
    }
    for (JsonElement e : (JsonArray) parsed) {
      JsonObject event = e.getAsJsonObject();
      if (!event.has("id") || !event.has("type") || !event.has("ts") || !event.has("data")) {
        return "event without id, type, ts or data: " + event;
      }
    }
    return null;
  }

  private String hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
