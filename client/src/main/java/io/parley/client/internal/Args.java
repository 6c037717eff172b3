package io.parley.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import io.parley.protocol.Methods;
import io.parley.protocol.Names;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.SendParams;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The SDK's argument rules, checked on the caller's thread before anything travels: an illegal
 * argument throws {@link IllegalArgumentException} at once with the contract's own wording, while
 * what only the server can judge fails the future later. Also which calls may be repeated.
 */
final class Args {
  /** Calls that change nothing, or (chat.send with its clientId) change it once however often sent. */
  private static final Set<String> REPEATABLE = Set.of(Methods.ECHO.name(), Methods.HELLO.name(),
      Methods.JOIN.name(), Methods.MEMBERS.name(), Methods.SEND.name(), Methods.HISTORY.name(),
      Methods.DISCOVER.name(), Methods.DM_SEND.name(), Methods.DM_LIST.name(), Methods.INFO.name(),
      // contract 1.1 changes: a repeated edit (same text), deletion or reaction (explicit on/off)
      // changes nothing the second time, it only answers changed: false
      Methods.EDIT.name(), Methods.DELETE.name(), Methods.REACT.name(), Methods.CHANGES.name());

  private Args() {}

  static boolean isRepeatable(String method) {
    return REPEATABLE.contains(method);
  }

  static String room(String room) {
    return check(() -> Names.room("room", room));
  }

  static String user(String name) {
    return check(() -> Names.user("name", name));
  }

  static String text(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("text: expected 1 or more characters, got " + (text == null ? "null" : "an empty string"));
    }
    return text;
  }

  static long seq(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq: expected 0 or more, got " + seq);
    }
    return seq;
  }

  /** The seq of a message (chat.edit/delete/react): 1 or more. */
  static long messageSeq(long seq) {
    if (seq < 1) {
      throw new IllegalArgumentException("seq: expected 1 or more, got " + seq);
    }
    return seq;
  }

  /** A rev to start after (sinceRev, chat.changes after): 0 or more. */
  static long rev(String what, long rev) {
    if (rev < 0) {
      throw new IllegalArgumentException(what + ": expected 0 or more, got " + rev);
    }
    return rev;
  }

  /** A reaction: 1-32 characters without spaces or control characters, as the server checks it. */
  static String emoji(String emoji) {
    if (emoji == null) {
      throw new IllegalArgumentException("emoji: expected 1-" + Names.MAX_EMOJI + " characters, got null");
    }
    return check(() -> Names.emoji("emoji", emoji));
  }

  static long since(long since) {
    if (since < 0) {
      throw new IllegalArgumentException("since: expected 0 or more, got " + since);
    }
    return since;
  }

  static void method(String method) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method: expected a method name, got " + (method == null ? "null" : "an empty string"));
    }
  }

  /** {@code text} parsed strictly, as the server would; bad JSON throws at once. */
  static JsonElement json(String what, String text) {
    if (text == null) {
      throw new IllegalArgumentException(what + ": expected JSON text, got null");
    }
    try {
      return JsonText.parse(text, RpcCodec.MAX_DEPTH);
    } catch (JsonText.Invalid e) {
      throw new IllegalArgumentException(what + ": expected JSON text, got invalid JSON (" + e.getMessage() + ")", e);
    }
  }

  static JsonElement objectOrArray(JsonElement value) {
    if (value == null || !(value.isJsonObject() || value.isJsonArray())) {
      throw new IllegalArgumentException("echo: expected an object or an array, got " + value);
    }
    return value;
  }

  /** The params of a send, with a fresh UUID as {@code clientId} when none was given. */
  static SendParams send(String room, String text, String clientId) {
    String id = clientId == null ? newClientId() : check(() -> Names.clientId("clientId", clientId));
    return new SendParams(room(room), text(text), id);
  }

  /** Raw {@code chat.send} params get a {@code clientId} too when they lack one. */
  static JsonElement withClientId(JsonElement params) {
    if (params instanceof JsonObject object && !object.has("clientId")) {
      JsonObject copy = object.deepCopy();
      copy.addProperty("clientId", newClientId());
      return copy;
    }
    return params;
  }

  static HistoryParams history(HistoryParams query) {
    if (query == null) {
      throw new IllegalArgumentException("history: expected params with a room, got null");
    }
    room(query.room());
    Integer limit = query.limit();
    if (limit != null && (limit < 1 || limit > HistoryParams.MAX_LIMIT)) {
      throw new IllegalArgumentException("limit: expected 1-" + HistoryParams.MAX_LIMIT + ", got " + limit);
    }
    return query;
  }

  static JsonObject object(JsonElement json) {
    if (json instanceof JsonObject object) {
      return object;
    }
    throw new RpcException(io.parley.protocol.ErrorCodes.INVALID_PARAMS, "rpc.discover: expected an object, got " + json);
  }

  static <T> BiConsumer<T, Throwable> into(CompletableFuture<T> target) {
    return (value, failure) -> {
      if (failure != null) {
        target.completeExceptionally(failure);
      } else {
        target.complete(value);
      }
    };
  }

  /** A {@code dm.list} limit: 1-500. */
  static int listLimit(int limit) {
    if (limit < 1 || limit > 500) {
      throw new IllegalArgumentException("limit: expected 1-500, got " + limit);
    }
    return limit;
  }

  static String newClientId() {
    return UUID.randomUUID().toString();
  }

  private static String check(Supplier<String> rule) {
    try {
      return rule.get();
    } catch (RpcException e) {
      throw new IllegalArgumentException(e.error().message(), e);
    }
  }
}
