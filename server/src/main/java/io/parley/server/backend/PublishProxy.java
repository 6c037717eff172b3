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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
 * backend at once), but are handed to the committer in the order the session sent them: a send
 * waits until the session's previous send in that room was handed on (or refused, or failed). So
 * a session's messages in a room are stored in the order it sent them, as without a proxy.
 * Across rooms, and across sessions, a slow answer holds nothing back. Over HTTP (no session) each
 * call stands alone. Thread-safe: the order chains live in a concurrent map, one entry per
 * session and room with a send under way.
 */
public final class PublishProxy implements SendVetting {
  static final String WHAT = "the publish proxy";

  private record Lane(ClientSession session, String room) {}

  private final BackendClient client;
  private final URI url;
  private final TextRule textRule;
  /** The last send handed on, or still waiting, per session and room: completes once it was handed on. */
  private final Map<Lane, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  private final ProxyMetrics metrics;

  public PublishProxy(BackendClient client, URI url, TextRule textRule) {
    this(client, url, textRule, ProxyMetrics.NONE);
  }

  PublishProxy(BackendClient client, URI url, TextRule textRule, ProxyMetrics metrics) {
    this.metrics = metrics;
    this.client = client;
    this.url = url;
    this.textRule = textRule;
  }

  @Override
  public CompletableFuture<Message> vet(NewMessage message, String to, ClientSession session,
      Function<NewMessage, CompletableFuture<Message>> store) {
    CompletableFuture<NewMessage> verdict = client.post(WHAT, url, request(message, to))
        .thenApply(answer -> vetted(message, answer))
        .whenComplete((vetted, failure) -> metrics.count(ProxyMetrics.PUBLISH, failure != null
            ? ProxyMetrics.outcomeOf(failure) : vetted == message ? ProxyMetrics.ALLOWED : ProxyMetrics.REWRITTEN));
    if (session == null) {
      return verdict.thenCompose(store);
    }
    Lane lane = new Lane(session, message.room());
    CompletableFuture<Void> handedOn = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(lane, handedOn);
    CompletableFuture<Void> turn = previous == null ? CompletableFuture.completedFuture(null) : previous;
    CompletableFuture<Message> stored = verdict.thenCombine(turn, (vetted, ignored) -> vetted).thenCompose(vetted -> {
      try {
        return store.apply(vetted);
      } finally {
        handOn(lane, handedOn);
      }
    });
    // A refusal or failure ends the send's turn too, so the next one is not held up; but never
    // before the turn came: a later send must not overtake an earlier one still waiting.
    stored.whenComplete((m, failure) -> turn.thenRun(() -> handOn(lane, handedOn)));
    return stored;
  }

  /** The send's turn is over: the next one of its session and room may go on. */
  private void handOn(Lane lane, CompletableFuture<Void> handedOn) {
    if (handedOn.complete(null)) {
      tails.remove(lane, handedOn);
    }
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
