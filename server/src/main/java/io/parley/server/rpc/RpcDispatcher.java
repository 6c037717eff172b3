package io.parley.server.rpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.parley.protocol.Entry;
import io.parley.protocol.CloseReasons;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Incoming;
import io.parley.protocol.Notification;
import io.parley.protocol.Request;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import io.parley.server.limits.LimitMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC engine: one text in, at most one text out, whatever the transport. It applies the
 * batch rules of the specification (one response per request with an id, in request order; none
 * for notifications; a single error for an empty or oversized batch) and turns every failure into
 * a wire error: {@link RpcException}s as they are, anything else as {@code -32603} with an
 * incident id that also appears in the log, never a stack trace.
 *
 * <p>Thread-safe: it holds no per-call state. Handlers' futures may complete on any thread.
 */
public final class RpcDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RpcDispatcher.class);
  private static final IncidentLog INCIDENTS = new IncidentLog(LOG);

  private final MethodTable methods;
  private final int maxBatch;
  private final RpcMetrics metrics;
  private final LimitMetrics limits;

  public RpcDispatcher(MethodTable methods, int maxBatch, RpcMetrics metrics) {
    this(methods, maxBatch, metrics, LimitMetrics.NONE);
  }

  /** {@code limits} counts the batch, rate and text limits that trip. */
  public RpcDispatcher(MethodTable methods, int maxBatch, RpcMetrics metrics, LimitMetrics limits) {
    this.methods = methods;
    this.maxBatch = maxBatch;
    this.metrics = metrics;
    this.limits = limits;
  }

  /** Handles one frame or body; the future yields the reply text, or {@code null} for none. */
  public CompletableFuture<String> dispatch(String text, CallContext context) {
    Incoming incoming = RpcCodec.decodeCalls(text);
    if (incoming instanceof Incoming.Rejected rejected) {
      metrics.rejected(rejected.response().error().code());
      return CompletableFuture.completedFuture(RpcCodec.encode(rejected.response()));
    }
    if (incoming instanceof Incoming.Single single) {
      return handle(single.entry(), context).thenApply(response -> encodeWithin(response, context.replyBudget()));
    }
    List<Entry> entries = ((Incoming.Batch) incoming).entries();
    if (entries.size() > maxBatch) {
      RpcError error = RpcError.of(ErrorCodes.INVALID_REQUEST,
          "Invalid request: a batch holds at most " + maxBatch + " requests, got " + entries.size());
      metrics.rejected(error.code());
      limits.tripped(LimitMetrics.BATCH_TOO_LARGE);
      return CompletableFuture.completedFuture(RpcCodec.encode(Response.failure(JsonNull.INSTANCE, error)));
    }
    return handleBatch(entries, context);
  }

  private CompletableFuture<String> handleBatch(List<Entry> entries, CallContext context) {
    List<CompletableFuture<String>> parts = new ArrayList<>(entries.size());
    ReplyBudget budget = context.replyBudget();
    for (Entry entry : entries) {
      // Encoded as each member completes, so a batch holds its replies' bytes, not their objects.
      parts.add(handle(entry, context).thenApply(response -> encodeWithin(response, budget)));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> {
          List<String> replies = new ArrayList<>(parts.size());
          int length = 1;
          for (CompletableFuture<String> part : parts) {
            String reply = part.join();
            if (reply != null) {
              replies.add(reply);
              length += reply.length() + 1;
            }
          }
          return replies.isEmpty() ? null : joinBatch(replies, length);
        });
  }

  /** The JSON array of the replies, built in one buffer of its exact size (they may take megabytes). */
  private static String joinBatch(List<String> replies, int length) {
    StringBuilder batch = new StringBuilder(length).append('[');
    for (int i = 0; i < replies.size(); i++) {
      batch.append(i == 0 ? "" : ",").append(replies.get(i));
    }
    return batch.append(']').toString();
  }

  /**
   * The reply's JSON, or a {@code -32004} in its place when it does not fit what is left of the
   * frame's {@link ReplyBudget}; {@code null} for a notification.
   */
  private String encodeWithin(Response response, ReplyBudget budget) {
    if (response == null) {
      return null;
    }
    String json = RpcCodec.encode(response);
    if (budget.take(ReplyBudget.utf8Length(json))) {
      return json;
    }
    limits.tripped(LimitMetrics.REPLY_TOO_LARGE);
    return RpcCodec.encode(Response.failure(response.id(), ReplyBudget.tooLarge()));
  }

  /** The response for one entry, or {@code null} for a notification. Never fails. */
  private CompletableFuture<Response> handle(Entry entry, CallContext context) {
    if (entry instanceof Entry.Invalid invalid) {
      metrics.rejected(invalid.error().error().code());
      return CompletableFuture.completedFuture(invalid.error());
    }
    var message = ((Entry.Valid) entry).message();
    long retryAfterMs = context.takeToken();
    if (retryAfterMs > 0) {
      limits.tripped(LimitMetrics.RATE);
      return CompletableFuture.completedFuture(
          message instanceof Request request ? Response.failure(request.id(), rateLimited(retryAfterMs)) : null);
    }
    if (message instanceof Request request) {
      return call(request.method(), request.params(), context)
          .handle((result, failure) -> respond(request, result, failure));
    }
    if (message instanceof Notification notification) {
      return call(notification.method(), notification.params(), context)
          .handle((result, failure) -> {
            if (failure != null) {
              toError(notification.method(), failure);
            }
            return null;
          });
    }
    // A response object sent to the server: decodeCalls never yields one.
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<JsonElement> call(String method, JsonElement params, CallContext context) {
    long start = System.nanoTime();
    CompletableFuture<JsonElement> result;
    try {
      result = methods.invoke(method, context, params);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete((r, f) -> {
      int code = f == null ? 0 : codeOf(f);
      if (code == ErrorCodes.TOO_LARGE) {
        limits.tripped(LimitMetrics.TEXT_TOO_LARGE);
      }
      metrics.called(method, code, System.nanoTime() - start);
    });
  }

  /** The {@code -32003} error of a call over the rate limit, with when to retry. */
  static RpcError rateLimited(long retryAfterMs) {
    return rateLimited("too many calls", retryAfterMs);
  }

  /** A {@code -32003} error saying {@code why}, with {@code error.data.retryAfterMs}. */
  public static RpcError rateLimited(String why, long retryAfterMs) {
    JsonObject data = new JsonObject();
    data.addProperty(CloseReasons.RETRY_AFTER_MS, retryAfterMs);
    return new RpcError(ErrorCodes.RATE_LIMITED, "Rate limited: " + why + "; retry in " + retryAfterMs + " ms", data);
  }

  private Response respond(Request request, JsonElement result, Throwable failure) {
    if (failure == null) {
      return Response.success(request.id(), result);
    }
    return Response.failure(request.id(), toError(request.method(), failure));
  }

  private static int codeOf(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof RpcException e ? e.code() : ErrorCodes.INTERNAL_ERROR;
  }

  private static RpcError toError(String method, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RpcException e) {
      return e.error();
    }
    String incident = Incidents.next();
    if (!INCIDENTS.error("internal:" + method + ":" + cause.getClass().getName(), "incident {}: {} failed", incident,
        method, cause)) {
      LOG.warn("incident {}: {} failed: {} (stack trace logged for an earlier one)", incident, method, cause.toString());
    }
    return new RpcError(ErrorCodes.INTERNAL_ERROR, "Internal error (incident " + incident + ")",
        io.parley.protocol.JsonText.object("incident", incident));
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
