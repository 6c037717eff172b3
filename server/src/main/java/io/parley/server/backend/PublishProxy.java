package io.parley.server.backend;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Message;
import io.parley.server.chat.SendVetting;
import io.parley.server.chat.TextRule;
import io.parley.server.ws.ClientSession;
import io.parley.sql.NewMessage;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The publish proxy (issue #18): before a {@code chat.send} or {@code dm.send} is stored, {@code
 * {"user", "room", "text", "clientId"?}} (and {@code "to"} for a direct message) is POSTed to the
 * backend; {@code 200 {}} stores it as sent, {@code 200 {"text"}} stores that text instead (held
 * to the same rule as any text), {@code 403 {"reason"}} refuses it with {@code -32006}. Any other
 * answer, an invalid text, or no answer within the timeout is {@code -32005}. Nothing is stored
 * unless the backend allowed it.
 *
 * <p>Why the waiting happens here and not in the group commit: a send is handed to the committer
 * only once its answer is in, so sends waiting for a slow backend hold up nothing else; the
 * committer's batches stay made of sends that are ready.
 *
 * <p>Order: the calls of one session in one room are vetted at the same time (each goes to the
 * backend at once), but are handed to the committer in the order the session sent them: each
 * session and room has a lane, a queue of its sends in arrival order, and a send is handed on (or
 * answered with its refusal or failure) only once every send before it in the lane was. So a
 * session's messages in a room are stored in the order it sent them, as without a proxy. Across
 * rooms, and across sessions, a slow answer holds nothing back. Over HTTP (no session) each call
 * stands alone.
 *
 * <p>A lane holds at most {@link #MAX_PER_LANE} sends; a send past that is answered {@code
 * -32005} at once and never reaches the backend, so a session that keeps sending behind a slow
 * answer costs bounded memory. The lane is drained in a loop by one thread at a time (whichever
 * completed the answer the head was waiting for), never by nested callbacks, so a long lane
 * cannot overflow the stack.
 *
 * <p>Thread-safe: the lanes live in a concurrent map, one entry per session and room with a send
 * under way, and each lane's state changes only inside that map's {@code compute} for its key.
 * {@code store} runs outside it, on the draining thread.
 */
public final class PublishProxy implements SendVetting {
  static final String WHAT = "the publish proxy";
  /** The most sends of one session in one room waiting for their turn; further ones answer -32005. */
  static final int MAX_PER_LANE = 1_000;

  private record Key(ClientSession session, String room) {}

  /** What a send's turn does: store {@code toStore}, or answer {@code already} (a repeated clientId). */
  private record Vetted(NewMessage toStore, Message already) {}

  /** A send in its lane: its verdict (completed from the backend's answer), what stores it, its result. */
  private record Turn(CompletableFuture<Vetted> verdict, Function<NewMessage, CompletableFuture<Message>> store,
      CompletableFuture<Message> stored) {}

  /** A lane's sends in arrival order; {@code draining} while a thread hands them on. Guarded by the map's compute. */
  private static final class Lane {
    final ArrayDeque<Turn> turns = new ArrayDeque<>();
    boolean draining;
  }

  private final BackendClient client;
  private final URI url;
  private final TextRule textRule;
  private final Map<Key, Lane> lanes = new ConcurrentHashMap<>();
  private final int maxPerLane;

  private final ProxyMetrics metrics;

  public PublishProxy(BackendClient client, URI url, TextRule textRule) {
    this(client, url, textRule, ProxyMetrics.NONE);
  }

  PublishProxy(BackendClient client, URI url, TextRule textRule, ProxyMetrics metrics) {
    this(client, url, textRule, metrics, MAX_PER_LANE);
  }

  /** With another lane bound than {@link #MAX_PER_LANE} (tests reach it). */
  PublishProxy(BackendClient client, URI url, TextRule textRule, ProxyMetrics metrics, int maxPerLane) {
    this.metrics = metrics;
    this.client = client;
    this.url = url;
    this.textRule = textRule;
    this.maxPerLane = maxPerLane;
  }

  @Override
  public CompletableFuture<Message> vet(NewMessage message, ClientSession session,
      Supplier<CompletableFuture<Prior>> prior, Function<NewMessage, CompletableFuture<Message>> store) {
    if (session == null) {
      return vetted(message, prior).thenCompose(v -> v.already() != null
          ? CompletableFuture.completedFuture(v.already()) : store.apply(v.toStore()));
    }
    Key key = new Key(session, message.room());
    Turn turn = new Turn(new CompletableFuture<>(), store, new CompletableFuture<>());
    boolean[] queued = {false};
    lanes.compute(key, (k, lane) -> {
      Lane l = lane == null ? new Lane() : lane;
      if (l.turns.size() < maxPerLane) {
        l.turns.add(turn);
        queued[0] = true;
      }
      return l.turns.isEmpty() ? null : l;
    });
    if (!queued[0]) {
      metrics.count(ProxyMetrics.PUBLISH, ProxyMetrics.FAILED);
      return CompletableFuture.failedFuture(BackendClient.unavailable("more than " + maxPerLane
          + " of your sends to room \"" + message.room() + "\" wait for " + WHAT));
    }
    vetted(message, prior).whenComplete((vetted, failure) -> {
      if (failure != null) {
        turn.verdict().completeExceptionally(failure);
      } else {
        turn.verdict().complete(vetted);
      }
      drain(key);
    });
    return turn.stored();
  }

  /**
   * What the send's turn will do: answer the message already stored under its clientId (the
   * backend is not asked), or store what the backend allowed; or the refusal or failure (of the
   * backend, or of {@code prior}: then the backend is not asked either).
   */
  private CompletableFuture<Vetted> vetted(NewMessage message, Supplier<CompletableFuture<Prior>> prior) {
    CompletableFuture<Prior> found;
    try {
      found = prior.get();
    } catch (RuntimeException e) {
      found = CompletableFuture.failedFuture(e);
    }
    return found.thenCompose(p -> p.stored() != null ? CompletableFuture.completedFuture(new Vetted(null, p.stored()))
        : verdict(message, p.to()).thenApply(m -> new Vetted(m, null)));
  }

  /** The backend's verdict on {@code message}: the message to store, or the refusal or failure. */
  private CompletableFuture<NewMessage> verdict(NewMessage message, String to) {
    return client.post(WHAT, url, request(message, to))
        .thenApply(answer -> vetted(message, answer))
        .whenComplete((vetted, failure) -> metrics.count(ProxyMetrics.PUBLISH, failure != null
            ? ProxyMetrics.outcomeOf(failure) : vetted == message ? ProxyMetrics.ALLOWED : ProxyMetrics.REWRITTEN));
  }

  /**
   * Hands on the lane's sends whose verdict is in, from its head, until one still waits. Only one
   * thread drains a lane at a time; a thread that finds another draining leaves: the drainer checks
   * the head again before it stops, in the same compute that ends its role, so no verdict is missed.
   */
  private void drain(Key key) {
    boolean[] claimed = {false};
    lanes.computeIfPresent(key, (k, lane) -> {
      if (!lane.draining) {
        lane.draining = true;
        claimed[0] = true;
      }
      return lane;
    });
    if (!claimed[0]) {
      return;
    }
    while (true) {
      Object[] next = {null};
      lanes.compute(key, (k, lane) -> {
        Turn head = lane.turns.peek();
        if (head != null && head.verdict().isDone()) {
          next[0] = lane.turns.poll();
          return lane;
        }
        lane.draining = false;
        return lane.turns.isEmpty() ? null : lane;
      });
      if (next[0] == null) {
        return;
      }
      handOn((Turn) next[0]);
    }
  }

  /** The send's turn came: it is stored, or answered with its refusal or failure. */
  private static void handOn(Turn turn) {
    CompletableFuture<Vetted> verdict = turn.verdict();
    if (verdict.isCompletedExceptionally()) {
      verdict.whenComplete((v, failure) -> turn.stored().completeExceptionally(unwrap(failure)));
      return;
    }
    Vetted vetted = verdict.join();
    if (vetted.already() != null) {
      turn.stored().complete(vetted.already());
      return;
    }
    CompletableFuture<Message> stored;
    try {
      stored = turn.store().apply(vetted.toStore());
    } catch (RuntimeException e) {
      turn.stored().completeExceptionally(e);
      return;
    }
    stored.whenComplete((m, failure) -> {
      if (failure != null) {
        turn.stored().completeExceptionally(unwrap(failure));
      } else {
        turn.stored().complete(m);
      }
    });
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  static JsonObject request(NewMessage message, String to) {
    JsonObject body = new JsonObject();
    body.addProperty("user", message.sender());
    body.addProperty("room", message.room());
    body.addProperty("text", message.text());
    if (message.clientId() != null) {
      body.addProperty("clientId", message.clientId());
    }
    if (to != null) {
      body.addProperty("to", to);
    }
    return body;
  }

  /** The message to store after a 200, or the refusal. */
  private NewMessage vetted(NewMessage message, BackendClient.Answer answer) {
    if (answer.status() != 200) {
      throw Verdicts.refusal(WHAT, answer);
    }
    JsonElement text = answer.body().get("text");
    if (text == null || text.isJsonNull()) {
      return message;
    }
    try {
      if (!(text instanceof JsonPrimitive p && p.isString())) {
        throw new RpcException(io.parley.protocol.ErrorCodes.INVALID_PARAMS, "text: expected a string");
      }
      String rewritten = textRule.check(text.getAsString());
      return new NewMessage(message.room(), message.sender(), rewritten, message.clientId());
    } catch (RpcException e) {
      client.warn(WHAT, url, "a text that breaks the rule for texts: " + e.error().message());
      throw BackendClient.unavailable(WHAT + "'s text is not acceptable (" + e.error().message() + ")");
    }
  }
}
