package io.parley.client;

import io.parley.protocol.RpcMethod;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.ChangesResult;
import io.parley.protocol.types.Conversation;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.RoomInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A connection to a Parley server: typed calls for every method of the contract, raw calls for
 * any other, and the rooms' message streams, kept whole across reconnects. Build one with {@link
 * #builder()}.
 *
 * <p><b>Lifecycle.</b> {@link #connect()} opens the WebSocket and says {@code session.hello};
 * {@link #close()} ends it for good. When the connection drops, or the server closes with 1001 or
 * 1013, the client reconnects with backoff ({@link ReconnectPolicy}), says hello again as the
 * same user, rejoins every room with {@code since} and delivers what was missed before anything
 * new. Calls made meanwhile wait; calls that are safe to repeat are sent again.
 *
 * <p><b>Threading.</b> Every method may be called from any thread and none blocks. Futures
 * complete, and listeners and subscribers are called, on the client's event thread, one at a time
 * in the order things arrived; never on a network thread. The threads themselves ({@code
 * parley-client-events-N} and the rest) are shared with the other clients of the JVM, or of the
 * {@link ClientResources} given to the builder. Do not block a callback (for example with {@code
 * join()} on another call's future): it would stall every event of this client, and hold one of
 * the few shared event threads.
 *
 * <p><b>Failure.</b> A call's future fails in one of four ways: {@link
 * RpcErrorException} for an error reply (with the JSON-RPC {@code code} and {@code
 * data}); {@link CallTimeoutException} when no reply came within the call timeout (counted from
 * the call, waiting included); {@link ConnectionClosedException} when the client closed or failed
 * first (the call may or may not have run); {@link java.util.concurrent.CancellationException}
 * when you cancelled the future (which also frees its place). Illegal arguments (a bad room name,
 * an empty text) throw at once.
 *
 * <p><b>Limits.</b> At most {@link ParleyClientBuilder#maxCallsInFlight} calls await replies;
 * later calls wait in order, like connections of a pool. {@link #callsInFlight()} and {@link
 * #callsWaiting()} show both.
 */
public interface ParleyClient extends AutoCloseable {

  /** A builder with the defaults; only the endpoint is required. */
  static ParleyClientBuilder builder() {
    return new ParleyClientBuilder();
  }

  /**
   * Opens the connection and says hello. Completes with the hello result, or fails with {@link
   * CallTimeoutException} (connect timeout), {@link ConnectionClosedException} (refused, upgrade
   * failed) or {@link RpcErrorException} (hello refused). A failed first connection is
   * not retried: the client is then {@link ConnectionState#FAILED}. Calling it again returns the
   * same future.
   */
  CompletableFuture<HelloResult> connect();

  ConnectionState state();

  /** The user name the server gave this client, or {@code null} before the first hello. */
  String user();

  /** Calls any method of the contract with typed params and result. */
  <P, R> CompletableFuture<R> call(RpcMethod<P, R> method, P params);

  /**
   * Calls a method by name with params as JSON text, e.g. {@code call("room.members",
   * "{\"room\":\"lobby\"}")}, or {@code null} for none; completes with the result as compact JSON
   * text ({@code "null"} for a JSON null). For methods beyond the typed ones, or your own tooling.
   *
   * @throws IllegalArgumentException when {@code method} is empty or {@code paramsJson} is not
   *     strict JSON (one value, no duplicate members, nested at most 64 deep)
   */
  CompletableFuture<String> call(String method, String paramsJson);

  /**
   * {@code echo}: the server returns {@code json} (an object or an array, as JSON text) unchanged;
   * completes with it as compact JSON text.
   *
   * @throws IllegalArgumentException when {@code json} is not a strict JSON object or array
   */
  CompletableFuture<String> echo(String json);

  /** {@code session.hello} with a new name; the client then reconnects as that user. */
  CompletableFuture<HelloResult> hello(String name);

  /** {@code room.join}: joins the room and returns its handle; joining a joined room returns it again. */
  CompletableFuture<JoinedRoom> join(String room);

  /**
   * Joins a room and first delivers every message with seq above {@code since} (for an
   * application that kept its place), then the live ones.
   */
  CompletableFuture<JoinedRoom> join(String room, long since);

  /**
   * Joins a room and first delivers every message with seq above {@code since} and every change
   * with rev above {@code sinceRev} (contract 1.1), for an application that kept both places
   * ({@link JoinedRoom#lastSeq()}, {@link JoinedRoom#lastRev()}), then the live ones.
   */
  CompletableFuture<JoinedRoom> join(String room, long since, long sinceRev);

  /** {@code room.leave}. */
  CompletableFuture<Void> leave(String room);

  /**
   * {@code room.read} (contract 1.1): moves this user's read position in a joined room forward to
   * {@code seq}; completes with the position afterwards (a lower {@code seq} changes nothing).
   */
  CompletableFuture<Long> markRead(String room, long seq);

  /** {@code chat.typing} (contract 1.1): tells the room's other members this user is typing. */
  CompletableFuture<Void> typing(String room);

  /** {@code room.info} (contract 1.1): the room's last seq and its users and sessions on every node. */
  CompletableFuture<RoomInfo> info(String room);

  /**
   * {@code dm.send} (contract 1.1) with a generated {@code clientId}: a direct message to a user;
   * completes with the stored message ({@code room} names the conversation, {@code to} the user).
   */
  CompletableFuture<Message> sendDirect(String to, String text);

  /** {@code dm.list} (contract 1.1): this user's conversations, most recent first, at most {@code limit} (1-500). */
  CompletableFuture<List<Conversation>> conversations(int limit);

  /**
   * The direct messages of this user (sent and received, with {@code to}) outside the rooms it
   * joined: each once and in order per conversation, also across reconnects (the client catches
   * up with {@code dm.list} and {@code chat.history} after each reconnect).
   */
  Flow.Publisher<Message> directMessages();

  /** Calls {@code listener} with each direct message (see {@link #directMessages()}), on the event thread. */
  Registration onDirect(Consumer<Message> listener);

  /**
   * The changes (contract 1.1) of this user's direct conversations outside the rooms it joined,
   * like {@link #directMessages()}: each rev of a conversation once and in order, never before the
   * message it changes is delivered there, also across reconnects (the client pages {@code
   * chat.changes} after the last rev seen in each conversation). Apply them to your copies with
   * {@link MessageState#apply}.
   */
  Flow.Publisher<Change> directChanges();

  /** Calls {@code listener} with each change of a direct conversation (see {@link #directChanges()}), on the event thread. */
  Registration onDirectChange(Consumer<Change> listener);

  /**
   * {@code chat.edit} (contract 1.1): the author replaces a message's text. Completes with the
   * outcome: {@code changed} and the change's {@code rev}, or {@code changed: false} (the same text)
   * and the room's current rev. Fails with {@code -32002} for another user's or a deleted message,
   * {@code -32602} for an unknown seq, {@code -32004} past the edits a message may have. Sent again
   * after a reconnect like {@code send}: when the first attempt was stored, the answer is then
   * {@code changed: false}.
   */
  CompletableFuture<ChangeResult> edit(String room, long seq, String text);

  /**
   * {@code chat.delete} (contract 1.1): the author (or, in token mode, an admin) deletes a message;
   * deleting it again is {@code changed: false}.
   */
  CompletableFuture<ChangeResult> delete(String room, long seq);

  /**
   * {@code chat.react} (contract 1.1): adds ({@code on}) or takes back this user's reaction {@code
   * emoji} (1-32 characters without spaces or control characters) to a message; adding one that
   * is there, or taking back one that is not, is {@code changed: false}.
   */
  CompletableFuture<ChangeResult> react(String room, long seq, String emoji, boolean on);

  /**
   * {@code chat.changes} (contract 1.1): a page of a room's changes with rev above {@code
   * afterRev}, ascending, at most {@code limit} (1-500). Page on with {@code afterRev} = the last
   * change's rev while a page is full or {@code truncated} (the server's byte cap cut it).
   */
  CompletableFuture<ChangesResult> changes(String room, long afterRev, int limit);

  /** {@code room.members}: the room's members, sorted. */
  CompletableFuture<List<String>> members(String room);

  /** {@code chat.send} with a generated {@code clientId}; completes with the stored message. */
  CompletableFuture<Message> send(String room, String text);

  /**
   * {@code chat.send} with your own {@code clientId} (a generated one when {@code null}): a
   * repeated {@code clientId} returns the first stored message and stores nothing new.
   */
  CompletableFuture<Message> send(String room, String text, String clientId);

  /**
   * {@code chat.history}: a page of stored messages, ascending by seq. The server caps a page at
   * about 1 MiB as well as at {@code limit}, so a page may hold fewer than {@code limit} messages
   * although more exist; use {@link #historyPage} to learn whether it was cut.
   */
  CompletableFuture<List<Message>> history(HistoryParams query);

  /**
   * {@code chat.history} with the whole result: the messages and {@code truncated}, true when the
   * server's byte cap cut the page. Then page on: without {@code after}, with {@code before} =
   * the first message's seq (the cap dropped the oldest); with {@code after}, with {@code after}
   * = the last message's seq (it dropped the newest).
   */
  CompletableFuture<HistoryResult> historyPage(HistoryParams query);

  /** {@code broadcast}: completes with the number of sessions it was queued to. */
  CompletableFuture<Long> broadcast(String text);

  /** {@code rpc.discover}: the server's OpenRPC document, as JSON text (an object). */
  CompletableFuture<String> discover();

  /** The {@code broadcast} notifications this client receives. */
  Flow.Publisher<BroadcastNote> broadcasts();

  /** Calls {@code listener} with each {@code broadcast} notification, on the event thread. */
  Registration onBroadcast(Consumer<BroadcastNote> listener);

  /** Calls sent and not answered yet (counted against the limit). */
  int callsInFlight();

  /** Calls waiting for a free place or for the connection. */
  int callsWaiting();

  /**
   * Closes the connection with 1000 and fails every pending call with {@link
   * ConnectionClosedException}; streams complete. Idempotent; does not block.
   */
  @Override
  void close();
}
