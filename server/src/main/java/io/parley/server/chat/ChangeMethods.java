package io.parley.server.chat;

import com.google.gson.JsonObject;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.ChangesParams;
import io.parley.protocol.types.ChangesResult;
import io.parley.protocol.types.EditParams;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.MessageRef;
import io.parley.protocol.types.ReactParams;
import io.parley.server.hub.Broker;
import io.parley.server.hub.RoomChange;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import io.parley.sql.ChangeKind;
import io.parley.sql.ChangeOutcome;
import io.parley.sql.ChangeRequest;
import io.parley.sql.MessageStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code chat.edit}, {@code chat.delete}, {@code chat.react} and {@code chat.changes} (contract 1.1).
 *
 * <p>The store decides and numbers each change in one transaction under the room's row lock (see
 * {@link MessageStore#change}); this class checks who may ask, turns the outcome into a result or
 * an error, and publishes a stored change so that every member, here and on the other nodes, gets
 * {@code chat.change}. A change's result is sent after it was committed and handed to the broker.
 *
 * <p>Who may: over a WebSocket, a member of the room (any member reacts; the store lets only the
 * author edit or delete, and an administrator's token delete too); over HTTP, the caller's token
 * decides the rooms as for {@code chat.send}. A {@code dm.} room is for its two participants only,
 * joined or not, and its changes reach both like its messages.
 *
 * <p>Order: changes of one room are made one after another on this node ({@link RoomLanes}), so they
 * are committed and published in rev order; other nodes' changes are put in order by the broker.
 */
public final class ChangeMethods {
  /** Edits one message may have in all: enough for any correction, not a channel of its own. */
  public static final int MAX_EDITS = 100;
  /** Distinct emoji one message's reactions may hold. */
  public static final int MAX_EMOJI = 64;

  private final RoomMethods rooms;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final Broker broker;
  private final TextRule textRule;
  private final DirectRooms direct;
  private final RoomLanes lanes = new RoomLanes();

  public ChangeMethods(RoomMethods rooms, MessageStore store, BlockingWork blocking, Broker broker, TextRule textRule,
      DirectRooms direct) {
    this.rooms = rooms;
    this.store = store;
    this.blocking = blocking;
    this.broker = broker;
    this.textRule = textRule;
    this.direct = direct;
  }

  public CompletableFuture<ChangeResult> edit(CallContext context, EditParams params) {
    String room = Names.room("room", params.room());
    long seq = seq(params.seq());
    String text = textRule.check(params.text());
    String user = context.user();
    return change(context, room, seq, ChangeRequest.edit(room, seq, user, text, MAX_EDITS));
  }

  public CompletableFuture<ChangeResult> delete(CallContext context, MessageRef params) {
    String room = Names.room("room", params.room());
    long seq = seq(params.seq());
    String user = context.user();
    boolean admin = context.isAdmin();
    return change(context, room, seq, ChangeRequest.delete(room, seq, user, admin));
  }

  public CompletableFuture<ChangeResult> react(CallContext context, ReactParams params) {
    String room = Names.room("room", params.room());
    long seq = seq(params.seq());
    String emoji = Names.emoji("emoji", params.emoji());
    String user = context.user();
    boolean on = params.on();
    return change(context, room, seq, ChangeRequest.react(room, seq, user, emoji, on, MAX_EMOJI));
  }

  public CompletableFuture<ChangesResult> changes(CallContext context, ChangesParams params) {
    String room = Names.room("room", params.room());
    MessageMethods.nonNegative("after", params.after());
    int limit = MessageMethods.pageLimit(params.limit());
    return allowed(context, room, false).thenCompose(to -> blocking.supply(context.reads(), () -> {
      context.replyBudget().checkLeft();
      var page = store.changes(room, params.after(), Long.MAX_VALUE, limit, HistoryParams.MAX_PAGE_BYTES);
      return new ChangesResult(page.changes().stream().map(WireMessages::of).toList(), page.truncated());
    }));
  }

  private CompletableFuture<ChangeResult> change(CallContext context, String room, long seq, ChangeRequest request) {
    return allowed(context, room, true).thenCompose(to -> lanes.run(room, () ->
        blocking.supply(context.reads(), () -> publish(store.change(request), to))))
        .thenApply(outcome -> result(room, seq, request, outcome));
  }

  /** Runs in the room's lane, so a room's changes reach the broker in the order they were committed. */
  private ChangeOutcome publish(ChangeOutcome outcome, String to) {
    if (outcome.changed()) {
      broker.publishChanges(List.of(new RoomChange(WireMessages.of(outcome.change()), to)));
    }
    return outcome;
  }

  /**
   * Completes with the other participant of a {@code dm.} room (which the caller must be one of),
   * with {@code null} for any other room the caller may use (a session: only as a member when
   * {@code memberOnly}).
   */
  private CompletableFuture<String> allowed(CallContext context, String room, boolean memberOnly) {
    if (!context.mayUse(room)) {
      throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: your token does not allow room \"" + room + "\"");
    }
    if (Names.isDirectRoom(room)) {
      return direct.otherParticipant(context, room, context.user());
    }
    if (memberOnly && context.caller() instanceof ClientSession session && !rooms.isMember(room, session)) {
      throw RoomMethods.notMember(room);
    }
    return CompletableFuture.completedFuture(null);
  }

  private static ChangeResult result(String room, long seq, ChangeRequest request, ChangeOutcome outcome) {
    String what = request.kind().stored();
    return switch (outcome.status()) {
      case CHANGED -> new ChangeResult(room, seq, outcome.rev(), true);
      case UNCHANGED -> new ChangeResult(room, seq, outcome.rev(), false);
      case NO_SUCH_MESSAGE -> throw new RpcException(RpcError.invalidParams("seq",
          "seq: expected a message of room \"" + room + "\", got " + seq + ", which it does not have"));
      case NOT_ALLOWED -> throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: only the author may " + what
          + " message " + seq + (request.kind() == ChangeKind.DELETE
              ? " (or an administrator's token)" : ""));
      case DELETED -> throw new RpcException(ErrorCodes.FORBIDDEN,
          "Forbidden: message " + seq + " was deleted; it can no longer be " + (what.equals("edit") ? "edited"
              : "reacted to"));
      case LIMIT_REACHED -> throw limit(request, seq);
    };
  }

  private static RpcException limit(ChangeRequest request, long seq) {
    boolean edit = request.kind() == ChangeKind.EDIT;
    int limit = edit ? MAX_EDITS : MAX_EMOJI;
    JsonObject data = new JsonObject();
    data.addProperty("limit", limit);
    return new RpcException(new RpcError(ErrorCodes.TOO_LARGE, edit
        ? "Too large: message " + seq + " has had " + limit + " edits, the most one message may have"
        : "Too large: message " + seq + " has reactions with " + limit + " different emoji, the most one message"
            + " may have; react with one of those", data));
  }

  private static long seq(long seq) {
    if (seq < 1) {
      throw new RpcException(RpcError.invalidParams("seq", "seq: expected an integer >= 1, got " + seq));
    }
    return seq;
  }
}
