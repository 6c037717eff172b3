package io.parley.server.storage;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC test client on the JDK's WebSocket for the storage tests, where the shared
 * {@code WsClient} is not enough: requests carry string ids ({@code "q1"}, {@code "q2"}, ...) and
 * can be pipelined, hundreds before the first reply is read; every frame is recorded on arrival
 * with its position on the connection, so a test can tell whether a reply came before a
 * notification; and what arrived before the server closed the connection can be read without
 * waiting.
 *
 * <p>Threading: {@link #send} may be called from any thread (sends are serialised); the JDK's
 * listener thread records frames; every wait has a timeout of {@link #TIMEOUT}.
 */
final class RpcSocket implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One received JSON object and its position among all frames of this connection. */
  record Frame(long index, JsonObject json) {}

  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong arrivals = new AtomicLong();
  private final ConcurrentMap<String, CompletableFuture<Frame>> replies = new ConcurrentHashMap<>();
  private final BlockingQueue<Frame> chatMessages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  /** Pause after each received frame, to play a client that reads slowly (0: none). */
  private volatile long readDelayNanos;

  private RpcSocket(TestServer server) {
    socket = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(server.wsUri(), new Listener())
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Connects and says {@code session.hello} with this user name. */
  static RpcSocket open(TestServer server, String user) {
    RpcSocket s = new RpcSocket(server);
    JsonObject hello = s.call("session.hello", Wire.obj("name", user));
    if (!user.equals(hello.get("user").getAsString())) {
      throw new AssertionError("session.hello named the user " + hello.get("user") + ", not " + user);
    }
    return s;
  }

  /** From now on, pauses this long after each received frame: a client that reads slowly. */
  void readSlowly(long nanosPerFrame) {
    readDelayNanos = nanosPerFrame;
  }

  /** Sends a request without waiting for its reply; returns its id. */
  synchronized String send(String method, JsonObject params) {
    String id = "q" + ids.incrementAndGet();
    JsonObject request = Wire.obj("jsonrpc", "2.0", "id", id, "method", method);
    request.add("params", params);
    socket.sendText(request.toString(), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    return id;
  }

  /** The whole response to request {@code id}, waiting for it. */
  Frame reply(String id) {
    try {
      return pending(id).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no reply to request " + id + " within " + TIMEOUT);
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("waiting for the reply to " + id + " failed", e);
    }
  }

  /** The result of request {@code id}; an error reply fails the test. */
  JsonObject result(String id) {
    JsonObject response = reply(id).json();
    if (response.has("error") || !response.has("result")) {
      throw new AssertionError("request " + id + " failed: " + response);
    }
    return response.getAsJsonObject("result");
  }

  /** Sends a request and returns its result. */
  JsonObject call(String method, JsonObject params) {
    return result(send(method, params));
  }

  /** Pipelines one {@code chat.send} per text, then returns the stored messages in that order. */
  List<JsonObject> sendAll(String room, List<String> texts) {
    List<String> sent = new ArrayList<>(texts.size());
    for (String text : texts) {
      sent.add(send("chat.send", Wire.obj("room", room, "text", text)));
    }
    List<JsonObject> stored = new ArrayList<>(sent.size());
    for (String id : sent) {
      stored.add(result(id));
    }
    return stored;
  }

  /** The responses received so far, by request id; does not wait. */
  Map<String, JsonObject> repliesSoFar() {
    Map<String, JsonObject> done = new ConcurrentHashMap<>();
    replies.forEach((id, f) -> {
      if (f.isDone()) {
        done.put(id, f.join().json());
      }
    });
    return done;
  }

  /** The next {@code chat.message} notification (its params with its arrival position). */
  Frame nextChatMessage() {
    try {
      Frame f = chatMessages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no chat.message within " + TIMEOUT);
      }
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The params of the next {@code count} chat.message notifications, in arrival order. */
  List<JsonObject> chatMessages(int count) {
    List<JsonObject> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(nextChatMessage().json());
    }
    return result;
  }

  /** The chat.message notifications received and not yet taken; does not wait. */
  List<JsonObject> chatMessagesSoFar() {
    List<Frame> frames = new ArrayList<>();
    chatMessages.drainTo(frames);
    return frames.stream().map(Frame::json).toList();
  }

  /** Waits for the server to close the connection; returns the close code. */
  int awaitClose() {
    try {
      return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + TIMEOUT);
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("the connection failed instead of closing", e);
    }
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
    socket.abort();
  }

  private CompletableFuture<Frame> pending(String id) {
    return replies.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  private void record(JsonElement element) {
    if (!element.isJsonObject()) {
      return;
    }
    JsonObject o = element.getAsJsonObject();
    Frame frame = new Frame(arrivals.incrementAndGet(), o);
    if (o.has("method")) {
      if ("chat.message".equals(o.get("method").getAsString())) {
        chatMessages.add(new Frame(frame.index(), o.getAsJsonObject("params")));
      }
    } else if (o.has("id") && !o.get("id").isJsonNull()) {
      pending(o.get("id").getAsString()).complete(frame);
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonElement parsed = JsonParser.parseString(partial.toString());
        partial.setLength(0);
        if (parsed instanceof JsonArray batch) {
          batch.forEach(RpcSocket.this::record);
        } else {
          record(parsed);
        }
      }
      long delay = readDelayNanos;
      if (delay > 0) {
        LockSupport.parkNanos(delay); // simulates a slow reader, synchronises nothing
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
