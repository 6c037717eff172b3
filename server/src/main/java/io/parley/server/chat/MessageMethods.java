package io.parley.server.chat;

import io.parley.protocol.Names;
import io.parley.protocol.RpcError;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.SendParams;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import io.parley.sql.HistoryPage;
import io.parley.sql.MessageStore;
import io.parley.sql.NewMessage;
import java.util.concurrent.CompletableFuture;

/**
 * {@code chat.send} and {@code chat.history}, shared by the WebSocket, {@code POST /rpc} and the
 * REST routes. Over a WebSocket the sender must be in the room; over HTTP there is no session and
 * the caller's name comes from the request. A history page is capped in bytes as well as in
 * count ({@link HistoryParams#MAX_PAGE_BYTES}), and says {@code truncated} when the cap cut it.
 * A {@code dm.} room (contract 1.1) is for its two participants only ({@link DirectRooms}).
 */
public final class MessageMethods {
  private final GroupCommitter committer;
  private final RoomMethods roomMethods;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final TextRule textRule;
  private final DirectRooms direct;
  private final SendVetting vetting;

  public MessageMethods(GroupCommitter committer, RoomMethods roomMethods, MessageStore store,
      BlockingWork blocking, TextRule textRule, DirectRooms direct) {
    this(committer, roomMethods, store, blocking, textRule, direct, SendVetting.NONE);
  }

  /** @param vetting what a send goes through before it is stored (the publish proxy, issue #18) */
  public MessageMethods(GroupCommitter committer, RoomMethods roomMethods, MessageStore store,
      BlockingWork blocking, TextRule textRule, DirectRooms direct, SendVetting vetting) {
    this.vetting = vetting;
    this.direct = direct;
    this.committer = committer;
    this.roomMethods = roomMethods;
    this.store = store;
    this.blocking = blocking;
    this.textRule = textRule;
  }

  public CompletableFuture<Message> send(CallContext context, SendParams params) {
    String room = Names.room("room", params.room());
    String text = textRule.check(params.text());
    String clientId = Names.clientId("clientId", params.clientId());
    if (!context.mayUse(room)) {
      throw forbidden(room);
    }
    ClientSession session = context.caller() instanceof ClientSession s ? s : null;
    NewMessage message = new NewMessage(room, context.user(), text, clientId);
    if (Names.isDirectRoom(room)) {
      // A participant's chat.send in the conversation is a direct message to the other one; who
      // that is is known before the backend is asked (a non-participant's text never reaches it).
      CompletableFuture<String> other = direct.otherParticipant(context, room, context.user());
      return vetting.vet(message, session, () -> other.thenCompose(to -> prior(context, message, to)),
          vetted -> other.thenCompose(to -> committer.submit(vetted, session, to)));
    }
    if (session != null && !roomMethods.isMember(room, session)) {
      throw RoomMethods.notMember(room);
    }
    return vetting.vet(message, session, () -> prior(context, message, null), vetted -> committer.submit(vetted, session));
  }

  /**
   * What the publish proxy needs before it asks the backend: {@code to}, and the message already
   * stored under the send's clientId (a store read; none without a clientId).
   */
  CompletableFuture<SendVetting.Prior> prior(CallContext context, NewMessage message, String to) {
    if (message.clientId() == null) {
      return CompletableFuture.completedFuture(new SendVetting.Prior(to, null));
    }
    return blocking.supply(context.reads(), () -> store.byClientId(message.room(), message.sender(), message.clientId()))
        .thenApply(found -> new SendVetting.Prior(to, found.map(m -> {
          Message wire = WireMessages.of(m);
          return to == null ? wire : wire.withTo(to);
        }).orElse(null)));
  }

  public CompletableFuture<HistoryResult> history(CallContext context, HistoryParams params) {
    String room = Names.room("room", params.room());
    if (!context.mayUse(room)) {
      throw forbidden(room);
    }
    int limit = pageLimit(params.limit());
    Long before = nonNegative("before", params.before());
    Long after = nonNegative("after", params.after());
    if (Names.isDirectRoom(room)) {
      return direct.otherParticipant(context, room, context.user())
          .thenCompose(other -> page(context, room, before, after, limit));
    }
    return page(context, room, before, after, limit);
  }

  private CompletableFuture<HistoryResult> page(CallContext context, String room, Long before, Long after, int limit) {
    return blocking.supply(context.reads(), () -> {
      context.replyBudget().checkLeft();
      HistoryPage page = store.history(room, before, after, limit, HistoryParams.MAX_PAGE_BYTES);
      return new HistoryResult(page.messages().stream().map(WireMessages::of).toList(), page.truncated());
    });
  }

  private static RpcException forbidden(String room) {
    return new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: your token does not allow room \"" + room + "\"");
  }

  /** A history or change page's {@code limit}: 1-500, 50 when absent. */
  static int pageLimit(Integer limit) {
    int value = limit == null ? HistoryParams.DEFAULT_LIMIT : limit;
    if (value < 1 || value > HistoryParams.MAX_LIMIT) {
      throw new RpcException(RpcError.invalidParams("limit",
          "limit: expected an integer from 1 to " + HistoryParams.MAX_LIMIT + ", got " + limit));
    }
    return value;
  }

  /** A seq or rev bound, which is at least 0 when given. */
  static Long nonNegative(String field, Long value) {
    if (value != null && value < 0) {
      throw new RpcException(RpcError.invalidParams(field, field + ": expected an integer >= 0, got " + value));
    }
    return value;
  }
}
