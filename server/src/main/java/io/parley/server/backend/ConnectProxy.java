package io.parley.server.backend;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import io.parley.server.auth.ConnectCheck;
import io.parley.server.auth.Identity;
import io.parley.server.ws.ClientSession;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connect proxy (issue #18): {@code session.hello}'s {@code credentials}, with the cookies and
 * user agent of the request that opened the session and the client's address, are POSTed as
 * {@code {"credentials", "headers": {"cookie"?, "user-agent"?}, "remoteAddr"}}; the backend
 * answers {@code 200 {"user", "rooms"?: [room], "expiresAt"?: RFC 3339}} to admit (an identity
 * like a token's: {@code sub}, {@code rooms} claim, {@code exp}), or {@code 403 {"reason"}} to
 * refuse ({@code -32006}). Anything else, an answer that breaks those rules, or no answer within
 * the timeout is {@code -32005}.
 *
 * <p>The answer is kept by the session it admitted ({@code SessionGuard} makes it the session's
 * user, rooms and expiry), never shared with another session: each session asks for itself.
 * Thread-safe; the handshakes live in a concurrent map from the session's opening to its close.
 */
public final class ConnectProxy implements ConnectCheck {
  static final String WHAT = "the connect proxy";
  /**
   * The connect proxy's own bound on calls, apart from the publish proxy's: {@code session.hello}
   * is served before authentication, so its calls must never take the places of sends.
   */
  static final int MAX_IN_FLIGHT = 64;
  /** Calls waiting for one of those places; one per session at most (a session has one hello under way). */
  static final int MAX_WAITING = 2_000;

  private final BackendClient client;
  private final URI url;
  private final Map<ClientSession, Handshake> handshakes = new ConcurrentHashMap<>();
  private final ProxyMetrics metrics;
  private final BackendClient.Budget budget = new BackendClient.Budget(MAX_IN_FLIGHT, MAX_WAITING);

  public ConnectProxy(BackendClient client, URI url) {
    this(client, url, ProxyMetrics.NONE);
  }

  ConnectProxy(BackendClient client, URI url, ProxyMetrics metrics) {
    this.client = client;
    this.url = url;
    this.metrics = metrics;
  }

  /** A session opened by a request with {@code handshake}: kept for its {@code session.hello}. */
  public void opened(ClientSession session, Handshake handshake) {
    handshakes.put(session, handshake);
  }

  /** The session is gone. */
  public void closed(ClientSession session) {
    handshakes.remove(session);
  }

  @Override
  public CompletableFuture<Identity> admit(ClientSession session, JsonElement credentials) {
    Handshake handshake = handshakes.getOrDefault(session, new Handshake(null, null, session.address()));
    return client.post(budget, WHAT, url, request(credentials, handshake)).thenApply(answer -> {
      if (answer.status() != 200) {
        throw Verdicts.refusal(WHAT, answer);
      }
      try {
        Identity identity = identity(answer.body());
        if (identity.expiresAt() != null && !identity.expiresAt().isAfter(client.clock().instant())) {
          // Not admitted for the expiry's leeway: an admission that is over when it arrives is an
          // answer that breaks the contract (a backend bug, or clocks apart), like a bad expiresAt.
          throw invalid("expiresAt: already past");
        }
        return identity;
      } catch (RpcException | DateTimeParseException e) {
        String why = e instanceof RpcException r ? r.error().message() : "expiresAt is not an RFC 3339 time";
        client.warn(WHAT, url, "an admission that breaks the contract: " + why);
        throw BackendClient.unavailable(WHAT + "'s answer is not valid (" + why + ")");
      }
    }).whenComplete((identity, failure) -> metrics.count(ProxyMetrics.CONNECT,
        failure == null ? ProxyMetrics.ALLOWED : ProxyMetrics.outcomeOf(failure)));
  }

  static JsonObject request(JsonElement credentials, Handshake handshake) {
    JsonObject headers = new JsonObject();
    if (handshake.cookie() != null) {
      headers.addProperty("cookie", handshake.cookie());
    }
    if (handshake.userAgent() != null) {
      headers.addProperty("user-agent", handshake.userAgent());
    }
    JsonObject body = new JsonObject();
    body.add("credentials", credentials == null ? JsonNull.INSTANCE : credentials);
    body.add("headers", headers);
    body.addProperty("remoteAddr", handshake.remoteAddr());
    return body;
  }

  /**
   * The admitted identity: a valid user name, valid room names, an RFC 3339 expiry. A value that
   * breaks those rules is named by its field and its JSON type only, never echoed: the message
   * goes on the wire and into the log, and the backend's answer may hold what neither should show.
   */
  static Identity identity(JsonObject body) {
    JsonElement user = body.get("user");
    if (!(user instanceof JsonPrimitive p && p.isString())) {
      throw invalid("user: expected a user name, got " + type(user));
    }
    String name;
    try {
      name = Names.user("user", user.getAsString());
    } catch (RpcException e) {
      throw invalid("user: not a valid user name (a string of " + user.getAsString().length() + " characters)");
    }
    return new Identity(name, rooms(body.get("rooms")), expiry(body.get("expiresAt")), false);
  }

  private static Set<String> rooms(JsonElement value) {
    if (value == null || value instanceof JsonNull) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("rooms: expected an array of room names, got " + type(value));
    }
    Set<String> rooms = new LinkedHashSet<>();
    int i = 0;
    for (JsonElement room : array) {
      if (!(room instanceof JsonPrimitive p && p.isString())) {
        throw invalid("rooms[" + i + "]: expected a room name, got " + type(room));
      }
      try {
        rooms.add(Names.room("rooms", room.getAsString()));
      } catch (RpcException e) {
        throw invalid("rooms[" + i + "]: not a valid room name");
      }
      i++;
    }
    return rooms;
  }

  private static RpcException invalid(String why) {
    return new RpcException(ErrorCodes.INVALID_PARAMS, why);
  }

  /** A JSON value's type, for a message that must not show the value. */
  static String type(JsonElement value) {
    if (value == null) {
      return "nothing";
    }
    if (value.isJsonNull()) {
      return "null";
    }
    if (value.isJsonObject()) {
      return "an object";
    }
    if (value.isJsonArray()) {
      return "an array";
    }
    JsonPrimitive p = value.getAsJsonPrimitive();
    return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
  }

  private static Instant expiry(JsonElement value) {
    if (value == null || value instanceof JsonNull) {
      return null;
    }
    if (!(value instanceof JsonPrimitive p && p.isString())) {
      throw invalid("expiresAt: expected an RFC 3339 time, got " + type(value));
    }
    return java.time.OffsetDateTime.parse(value.getAsString()).toInstant();
  }
}
