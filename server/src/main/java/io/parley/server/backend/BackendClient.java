package io.parley.server.backend;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.JsonText;
import io.parley.protocol.RpcException;
import io.parley.server.config.ProxySettings;
import io.parley.server.webhooks.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to the application's backend and hands back its answer, for both proxies. Why a class
 * of its own: every call must be bounded in time (the proxy timeout: past it the caller gets
 * {@code -32005}, whatever the backend does later), in number (a {@link Budget}: by default {@link
 * #MAX_IN_FLIGHT} requests at once, {@link #MAX_WAITING} more queued; past that {@code -32005} at
 * once, so a stalled backend costs its callers errors, never the node its heap; the connect proxy
 * has a budget of its own), and must never hold a Jetty thread (the
 * JDK's {@link HttpClient} sends asynchronously, its own work, name lookups included, on {@code
 * parley-backend-http-N}; its answers are handled on {@code parley-backend-N}).
 *
 * <p>Each request carries {@code Parley-Timestamp: <unix seconds>} and, when a webhook secret is
 * configured, the same {@code Parley-Signature} as webhooks (HMAC-SHA256 of {@code "<t>.<body>"}),
 * so the backend can check where it came from and refuse a replay by its age. Neither bodies
 * (credentials, texts) nor the secret are ever logged; a failing backend gets one WARN line per
 * {@link #WARN_EVERY_MS} with the URL without its query.
 *
 * <p>Thread-safe. Queued requests start in arrival order as earlier ones finish.
 */
public final class BackendClient implements AutoCloseable {
  /** The most requests in flight to the backend at once, within the client's own budget (the publish proxy's). */
  static final int MAX_IN_FLIGHT = 256;
  /** The most requests waiting for one of those places; further calls answer -32005 at once. */
  static final int MAX_WAITING = 10_000;
  /** The largest answer body read, in bytes: a proxy answers a few fields. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;
  /** Threads of the JDK client's own work ({@code parley-backend-http-N}). */
  static final int HTTP_THREADS = 2;
  /** The header with the request's time, sent with or without a secret. */
  public static final String TIMESTAMP_HEADER = "Parley-Timestamp";
  private static final long WARN_EVERY_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(BackendClient.class);
  /** Writes request bodies with {@code null} members kept ({@code "credentials": null}). */
  private static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  /** An answer: its status and its body, a JSON object ({@code {}} when empty). */
  record Answer(int status, JsonObject body) {}

  /**
   * A bound on calls: at most {@code maxInFlight} requests at once, {@code maxWaiting} more queued
   * (started in arrival order as earlier ones finish). Each proxy has its own, so calls of one (say,
   * {@code session.hello}, open before authentication) can never use up the other's places.
   * Guarded by its own monitor.
   */
  static final class Budget {
    private final int maxInFlight;
    private final int maxWaiting;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    Budget(int maxInFlight, int maxWaiting) {
      this.maxInFlight = maxInFlight;
      this.maxWaiting = maxWaiting;
    }

    /** Takes a place for {@code start}: true to start it now, false if it was queued; -32005 if full. */
    private synchronized boolean take(Runnable start, String what) {
      if (inFlight < maxInFlight) {
        inFlight++;
        return true;
      }
      if (waiting.size() >= maxWaiting) {
        throw unavailable(what + " has too many calls waiting");
      }
      waiting.add(start);
      return false;
    }

    /** A request ended: the next waiting one, which keeps its place, or {@code null} (the place is free). */
    private synchronized Runnable next() {
      Runnable next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
      return next;
    }
  }

  private final HttpClient http;
  private final ExecutorService executor;
  /**
   * The JDK client's own work (connecting, name lookups, reading), apart from {@link #executor}:
   * a slow DNS answer blocks the thread that looks the name up, and must not hold up the answers
   * and timeouts of calls already under way.
   */
  private final ExecutorService httpExecutor;
  private final Duration timeout;
  private final String secret;
  private final Clock clock;
  private final Budget budget;
  /** Runs a completion on parley-backend-N; once those are stopped, on the calling thread. */
  private final java.util.concurrent.Executor handOff;
  /** What callers wait for and was not completed yet: {@link #close} completes it. */
  private final java.util.Set<CompletableFuture<Answer>> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final AtomicLong lastWarn = new AtomicLong(Long.MIN_VALUE / 2);

  /** @param secret the webhook secret that signs requests, or {@code null}: timestamp only */
  public BackendClient(Duration timeout, String secret, Clock clock) {
    this(timeout, secret, clock, MAX_IN_FLIGHT, MAX_WAITING);
  }

  /** With other bounds than {@link #MAX_IN_FLIGHT} and {@link #MAX_WAITING} (tests reach them). */
  BackendClient(Duration timeout, String secret, Clock clock, int maxInFlight, int maxWaiting) {
    this.budget = new Budget(maxInFlight, maxWaiting);
    this.timeout = timeout;
    this.secret = secret;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "parley-backend-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.handOff = task -> {
      try {
        executor.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        task.run(); // closed: the server is stopping, the call is answered all the same
      }
    };
    AtomicInteger m = new AtomicInteger();
    this.httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
      Thread t = new Thread(r, "parley-backend-http-" + m.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(httpExecutor)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public Duration timeout() {
    return timeout;
  }

  /** The clock that stamps requests (and tells the connect proxy whether an admission already expired). */
  Clock clock() {
    return clock;
  }

  /**
   * POSTs {@code body} to {@code url}. The future completes with the answer, or fails within the
   * timeout with a {@code -32005} {@link RpcException} naming {@code what} (the backend failed, did
   * not answer in time, or too many calls are waiting). Its dependent actions run on {@code
   * parley-backend-N} (or on the caller's thread when it is already complete): they must not block.
   */
  CompletableFuture<Answer> post(String what, URI url, JsonObject body) {
    return post(budget, what, url, body);
  }

  /** Like {@link #post(String, URI, JsonObject)}, within {@code bounds} instead of the client's own. */
  CompletableFuture<Answer> post(Budget bounds, String what, URI url, JsonObject body) {
    if (closed) {
      return CompletableFuture.failedFuture(stopping(what));
    }
    Call call = new Call(bounds);
    Runnable start = () -> send(call, what, url, JSON.toJson(body));
    try {
      if (bounds.take(start, what)) {
        start.run();
      }
    } catch (RpcException full) {
      return CompletableFuture.failedFuture(full);
    }
    CompletableFuture<Answer> result = call.answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
      // Whatever ended the call, its request ends with it: a backend that sent its headers and
      // then stalled would otherwise hold the call's place for ever (the request's own timeout
      // stops counting once the headers are in).
      call.abort();
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RpcException) {
        return CompletableFuture.failedFuture(cause);
      }
      warn(what, url, cause instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms"
          : cause.toString());
      return CompletableFuture.failedFuture(unavailable(cause instanceof TimeoutException
          ? what + " did not answer within " + timeout.toMillis() + " ms" : what + " is not reachable"));
    }).whenCompleteAsync((a, e) -> { }, handOff); // what the caller does next runs on parley-backend-N
    live.add(result);
    result.whenComplete((a, e) -> live.remove(result));
    if (closed) { // close() may have walked the calls before this one was added
      result.completeExceptionally(stopping(what));
    }
    return result;
  }

  /**
   * One call: its answer, and the request under way for it. Its place in the budget is given back
   * exactly once, by whichever comes first: the request's end, or the call's end (a timeout), which
   * also cancels the request and its body (the JDK client then closes the connection).
   */
  private final class Call {
    final Budget bounds;
    final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile CompletableFuture<?> sent;
    private volatile LimitedBody body;

    Call(Budget bounds) {
      this.bounds = bounds;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        finished(bounds);
      }
    }

    void abort() {
      LimitedBody b = body;
      if (b != null) {
        b.cancel();
      }
      CompletableFuture<?> s = sent;
      if (s != null) {
        s.cancel(true);
      }
      release();
    }
  }

  private void send(Call call, String what, URI url, String json) {
    CompletableFuture<Answer> answer = call.answer;
    if (answer.isDone()) { // timed out while it waited for a place
      call.release();
      return;
    }
    long now = clock.instant().getEpochSecond();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .header(TIMESTAMP_HEADER, Long.toString(now))
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (secret != null) {
      request.header(WebhookSignature.HEADER, WebhookSignature.header(secret, now, json));
    }
    LimitedBody body = new LimitedBody(what, MAX_ANSWER_BYTES);
    call.body = body;
    CompletableFuture<HttpResponse<String>> sent;
    try {
      sent = http.sendAsync(request.build(), info -> body);
    } catch (RuntimeException e) {
      call.release();
      answer.completeExceptionally(e);
      return;
    }
    call.sent = sent;
    if (answer.isDone()) { // timed out while it was being sent: abort() may have missed it
      call.abort();
    }
    // Async on our executor: on a machine with 1 or 2 cores the JDK client would otherwise complete
    // on a new unnamed thread per request (CompletableFuture's default executor there).
    sent.whenCompleteAsync((response, failure) -> {
      call.release();
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof RpcException e) {
          warn(what, url, e.error().message());
        }
        answer.completeExceptionally(cause);
        return;
      }
      try {
        answer.complete(new Answer(response.statusCode(), body(what, response.statusCode(), response.body())));
      } catch (RpcException e) {
        warn(what, url, e.error().message());
        answer.completeExceptionally(e);
      }
    }, handOff);
  }

  /**
   * Collects an answer's body, at most {@code max} bytes: past that it cancels its subscription
   * (the JDK client drops the connection) and fails with -32005, so a backend that answers without
   * end costs neither memory nor the rest of the timeout. Thread-safe as a {@link Flow.Subscriber}
   * must be: the client calls it serially; {@link #cancel} may come from any thread.
   */
  static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
    private final String what;
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    LimitedBody(String what, int max) {
      this.what = what;
      this.max = max;
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (result.isDone()) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (bytes.size() + item.remaining() > max) {
          result.completeExceptionally(unavailable(what + " answered more than " + max + " bytes"));
          subscription.cancel();
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable failure) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    /** The call ended: stop reading. */
    void cancel() {
      result.cancel(false);
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** A request ended: the next waiting one starts in its place. */
  private void finished(Budget bounds) {
    Runnable next = bounds.next();
    if (next == null) {
      return;
    }
    try {
      executor.execute(next);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // closed: the server is stopping, and close() answered the waiting call
    }
  }

  /**
   * The answer's body as a JSON object: empty is {@code {}}; anything else but an object is
   * -32005, except after a 403, which refuses whatever its body: a proxy or firewall in front of
   * the backend may answer 403 with a page of its own, and a refusal turned into -32005 would be
   * retried by clients for ever. Such a body counts as {@code {}} (no reason given).
   */
  private static JsonObject body(String what, int status, String text) {
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    if (status == 403) {
      try {
        return JsonText.parse(text, 32) instanceof JsonObject object ? object : new JsonObject();
      } catch (JsonText.Invalid e) {
        return new JsonObject();
      }
    }
    JsonElement parsed;
    try {
      parsed = JsonText.parse(text, 32);
    } catch (JsonText.Invalid e) {
      throw unavailable(what + " answered something that is not JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw unavailable(what + " answered JSON that is not an object");
    }
    return object;
  }

  /** One WARN line per {@link #WARN_EVERY_MS}: a backend that is down fails every call. */
  void warn(String what, URI url, String why) {
    long now = System.nanoTime() / 1_000_000;
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_MS && lastWarn.compareAndSet(last, now)) {
      LOG.warn("{} at {} failed: {} (calls answer -32005; further failures are not logged for {} s)", what,
          ProxySettings.display(url), why, WARN_EVERY_MS / 1000);
    } else {
      LOG.debug("{} at {} failed: {}", what, ProxySettings.display(url), why);
    }
  }

  static RpcException unavailable(String why) {
    return new RpcException(ErrorCodes.UNAVAILABLE, "Unavailable: " + why + "; nothing was done, try again later");
  }

  private static RpcException stopping(String what) {
    return unavailable(what + " is not called: the server is stopping");
  }

  /** Answers the calls under way with -32005 (quietly: the server is stopping), then stops the threads. */
  @Override
  public void close() {
    closed = true;
    httpExecutor.shutdownNow();
    executor.shutdownNow(); // completions it had queued are dropped: the callers are answered here
    for (CompletableFuture<Answer> call : live) {
      call.completeExceptionally(stopping("the application backend"));
    }
  }
}
