package io.parley.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import io.parley.client.ConnectionClosedException;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Request;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.internal.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one client: those waiting (for a free place under the in-flight limit, or for the
 * connection) in FIFO order, and those sent, keyed by their numeric id. Replies are matched by id
 * (the server may answer out of order). When a connection drops, calls that are safe to repeat
 * go back to the front of the queue in their original order, the others fail. A repeatable call
 * answered with {@code -32005} (the server is shutting down, or its storage is down) is not
 * failed either: it is retried after a pause, until it succeeds or its timeout ends it.
 *
 * <p>Core thread only; {@link #inFlight()} and {@link #waiting()} are snapshots any thread may read.
 */
final class CallQueue {
  private static final Logger LOG = LoggerFactory.getLogger(CallQueue.class);

  private final int maxInFlight;
  private final Consumer<Call> retryLater;
  private final ArrayDeque<Call> waiting = new ArrayDeque<>();
  private final TreeMap<Long, Call> sent = new TreeMap<>();
  private long nextId = 1;
  private int limitedInFlight;
  private volatile int inFlightView;
  private volatile int waitingView;

  /**
   * @param retryLater takes a repeatable call the server answered with {@code -32005}
   *     (unavailable, safe to retry): it is to be put back with {@link #retry} after a pause
   */
  CallQueue(int maxInFlight, Consumer<Call> retryLater) {
    this.maxInFlight = maxInFlight;
    this.retryLater = retryLater;
  }

  /** Puts a call that waited out a {@code -32005} back at the front of the queue. */
  void retry(Call call) {
    if (!call.result.isDone()) {
      waiting.addFirst(call);
      updateViews();
    }
  }

  void enqueue(Call call) {
    waiting.addLast(call);
    updateViews();
  }

  /** Sends waiting calls while there is room; {@code link} null means not connected: nothing moves. */
  void pump(Link link) {
    while (link != null && !waiting.isEmpty() && limitedInFlight < maxInFlight) {
      transmit(link, waiting.pollFirst());
    }
    updateViews();
  }

  /** Sends an internal call at once, outside the limit. */
  void sendNow(Link link, Call call) {
    transmit(link, call);
    updateViews();
  }

  private void transmit(Link link, Call call) {
    call.id = nextId++;
    sent.put(call.id, call);
    if (call.limited) {
      limitedInFlight++;
    }
    link.send(RpcCodec.encode(new Request(new JsonPrimitive(call.id), call.method, call.params)));
  }

  /** Completes the call this reply answers; the caller pumps afterwards. */
  void onResponse(Response response) {
    Call call = take(response.id());
    if (call == null) {
      LOG.debug("reply to no pending call (timed out or cancelled?): id {}", Json.brief(response.id()));
      return;
    }
    if (response.isError() && response.error().code() == ErrorCodes.UNAVAILABLE && call.retryable && call.limited) {
      call.unavailable++;
      retryLater.accept(call);
    } else if (response.isError()) {
      call.result.completeExceptionally(Failures.reply(response.error()));
    } else {
      call.result.complete(response.result());
    }
  }

  private Call take(JsonElement id) {
    if (!(id instanceof JsonPrimitive p) || !p.isNumber()) {
      return null;
    }
    Long key = Json.exactLong(p);
    Call call = key == null ? null : sent.remove(key);
    if (call != null && call.limited) {
      limitedInFlight--;
    }
    updateViews();
    return call;
  }

  /** Takes the call out wherever it is (timeout, cancellation) and fails it with {@code why}. */
  void abandon(Call call, Throwable why) {
    if (!waiting.remove(call) && call.id != 0 && sent.remove(call.id, call) && call.limited) {
      limitedInFlight--;
    }
    updateViews();
    call.result.completeExceptionally(why);
  }

  /** The connection dropped: repeatable calls wait again at the front, in order; the rest fail. */
  void onDisconnect(ConnectionClosedException why) {
    List<Call> failed = new ArrayList<>();
    List<Call> again = new ArrayList<>();
    for (Call call : sent.values()) {
      (call.retryable ? again : failed).add(call);
    }
    sent.clear();
    limitedInFlight = 0;
    for (int i = again.size() - 1; i >= 0; i--) {
      waiting.addFirst(again.get(i));
    }
    updateViews();
    failed.forEach(call -> call.result.completeExceptionally(why));
  }

  /** The client is done: every call fails with {@code why}. */
  void failAll(Throwable why) {
    List<Call> all = new ArrayList<>(sent.values());
    all.addAll(waiting);
    sent.clear();
    waiting.clear();
    limitedInFlight = 0;
    updateViews();
    all.forEach(call -> call.result.completeExceptionally(why));
  }

  int inFlight() {
    return inFlightView;
  }

  int waiting() {
    return waitingView;
  }

  private void updateViews() {
    inFlightView = limitedInFlight;
    waitingView = waiting.size();
  }
}
