package io.parley.server.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A plain JSON-RPC test client on the JDK's WebSocket (not Parley's own code): it records every
 * text frame, and waits for replies and notifications with timeouts. Frames that a wait skips
 * stay recorded, so a test can ask for a notification after awaiting a reply.
 */
public final class WsClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WebSocket socket;
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final AtomicLong ids = new AtomicLong();

  private WsClient(URI uri, Map<String, String> headers) {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT);
    headers.forEach(builder::header);
    this.socket = builder
        .buildAsync(uri, new Listener())
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  public static WsClient connect(URI uri) {
    return new WsClient(uri, Map.of());
  }

  /** Connects with extra headers on the upgrade request (e.g. {@code Authorization}). */
  public static WsClient connect(URI uri, Map<String, String> headers) {
    return new WsClient(uri, headers);
  }

  /** Sends a request with a fresh numeric id and returns its whole response object. */
  public JsonObject call(String method, Object params) {
    long id = ids.incrementAndGet();
    JsonObject request = new JsonObject();
    request.addProperty("jsonrpc", "2.0");
    request.addProperty("id", id);
    request.addProperty("method", method);
    if (params != null) {
      request.add("params", params instanceof JsonElement e ? e : JsonParser.parseString(params.toString()));
    }
    send(request.toString());
    return await(o -> o.has("id") && !o.get("id").isJsonNull() && o.get("id").isJsonPrimitive()
        && o.get("id").getAsJsonPrimitive().isNumber() && o.get("id").getAsLong() == id && !o.has("method"));
  }

  /** The result of a call, failing the test if it answered with an error. */
  public JsonObject result(String method, Object params) {
    JsonObject response = call(method, params);
    if (response.has("error")) {
      throw new AssertionError(method + " failed: " + response);
    }
    return response.getAsJsonObject("result");
  }

  public void send(String text) {
    socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The next frame (as raw text) that has not been consumed yet. */
  public String nextRaw() {
    try {
      String text = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (text == null) {
        throw new AssertionError("no frame within " + TIMEOUT);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The next unconsumed frame that is not a server notification: notifications, such as the
   * departure of an earlier test's member (told asynchronously), are skipped.
   */
  public String nextReplyRaw() {
    while (true) {
      String text = nextRaw();
      JsonElement parsed;
      try {
        parsed = JsonParser.parseString(text);
      } catch (JsonParseException notJson) {
        return text;
      }
      if (!(parsed.isJsonObject() && parsed.getAsJsonObject().has("method"))) {
        return text;
      }
    }
  }

  /** The first recorded or incoming JSON object frame matching {@code test}; it is consumed. */
  public JsonObject await(Predicate<JsonObject> test) {
    return await(test, TIMEOUT);
  }

  /** Like {@link #await(Predicate)}, waiting at most {@code timeout}. */
  public synchronized JsonObject await(Predicate<JsonObject> test, Duration timeout) {
    JsonObject o = poll(test, timeout);
    if (o == null) {
      throw new AssertionError("no matching frame within " + timeout + "; unconsumed: " + seen);
    }
    return o;
  }

  /** Like {@link #await(Predicate, Duration)}, but null when nothing matched within {@code timeout}. */
  public synchronized JsonObject poll(Predicate<JsonObject> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<JsonObject> it = seen.iterator(); it.hasNext(); ) {
        JsonObject o = it.next();
        if (test.test(o)) {
          it.remove();
          return o;
        }
      }
      long left = deadline - System.nanoTime();
      String text;
      try {
        text = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (text == null) {
        return null;
      }
      JsonElement parsed = JsonParser.parseString(text);
      if (parsed.isJsonObject()) {
        seen.add(parsed.getAsJsonObject());
      } else {
        JsonObject wrapper = new JsonObject();
        wrapper.add("batch", parsed);
        seen.add(wrapper);
      }
    }
  }

  /** The next notification with this method name; its params. */
  public JsonObject awaitNotification(String method) {
    JsonObject n = await(o -> o.has("method") && !o.has("id") && method.equals(o.get("method").getAsString()));
    return n.get("params").getAsJsonObject();
  }

  /** True if a notification with this method is already recorded (does not wait, does not consume). */
  public synchronized boolean hasPending(String method) {
    inbox.drainTo(new ArrayList<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public boolean add(String text) {
        JsonElement parsed = JsonParser.parseString(text);
        if (parsed.isJsonObject()) {
          seen.add(parsed.getAsJsonObject());
        }
        return true;
      }
    });
    return seen.stream().anyMatch(o -> o.has("method") && method.equals(o.get("method").getAsString()));
  }

  /** Waits for the server to close the connection; returns the close code. */
  public int awaitClose() {
    return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        inbox.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
