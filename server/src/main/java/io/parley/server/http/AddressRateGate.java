package io.parley.server.http;

import io.parley.server.limits.AddressBuckets;
import io.parley.server.limits.LimitMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The per-address rate limit ({@code PARLEY_RATE_LIMIT}, {@code PARLEY_RATE_BURST}) for requests
 * that are not JSON-RPC calls: each {@code GET} or {@code POST /api/...} and each WebSocket upgrade
 * takes one token from its client address's bucket, the same bucket {@code POST /rpc} takes one
 * from per call. Past it: {@code 429} with {@code Retry-After} (whole seconds, rounded up) and the
 * JSON error, answered without reading the body. Without a limit, a loop of cheap unauthenticated
 * reads kept the node's store pool busy for everyone else.
 *
 * <p>{@code /health}, {@code /ready}, {@code /metrics} and the page's static files are not
 * limited: operators and orchestrators poll the first three, and all of them cost no more to
 * answer than a 429 would. Thread-safe.
 */
public final class AddressRateGate {
  private static final long MILLIS_PER_SECOND = 1000;

  private final AddressBuckets buckets;
  private final LimitMetrics limits;

  public AddressRateGate(AddressBuckets buckets, LimitMetrics limits) {
    this.buckets = buckets;
    this.limits = limits;
  }

  /** The bucket calls of this request's address take from ({@code POST /rpc}, one token per call). */
  AddressBuckets buckets() {
    return buckets;
  }

  /** Takes a token for the request: true when it may go ahead, else false after answering 429. */
  public boolean admit(Request request, Response response, Callback callback) {
    long waitMs = buckets.of(Request.getRemoteAddr(request)).tryTake();
    if (waitMs == 0) {
      return true;
    }
    limits.tripped(LimitMetrics.RATE);
    long seconds = Math.max(1, (waitMs + MILLIS_PER_SECOND - 1) / MILLIS_PER_SECOND);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
    HttpReplies.refuseUnread(request, response, callback, 429,
        "Rate limited: too many requests from your address; retry in " + waitMs + " ms");
    return false;
  }
}
