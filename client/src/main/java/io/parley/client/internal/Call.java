package io.parley.client.internal;

import com.google.gson.JsonElement;
import java.util.concurrent.CompletableFuture;

/**
 * One JSON-RPC call on its way: what to send, whether it may be sent again on a new connection,
 * whether it counts against the in-flight limit, and its result, which is completed on the core
 * thread (so internal follow-ups run there; the application sees it through the event thread).
 */
final class Call {
  final String method;
  final JsonElement params;
  final boolean retryable;
  final boolean limited;
  final CompletableFuture<JsonElement> result = new CompletableFuture<>();
  /** The id it was last sent with, 0 while not sent. Core thread only. */
  long id;
  /** How often the server answered "unavailable, retry later" so far. Core thread only. */
  int unavailable;

  private Call(String method, JsonElement params, boolean retryable, boolean limited) {
    this.method = method;
    this.params = params;
    this.retryable = retryable;
    this.limited = limited;
  }

  /** A call the application made: it waits its turn under the limit. */
  static Call user(String method, JsonElement params, boolean retryable) {
    return new Call(method, params, retryable, true);
  }

  /** A call the client makes itself (hello, rejoin, history paging): sent at once, never retried. */
  static Call internal(String method, JsonElement params) {
    return new Call(method, params, false, false);
  }

  @Override
  public String toString() {
    return method + (id == 0 ? "" : "#" + id);
  }
}
