package io.parley.server.chat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Conversation;
import io.parley.protocol.types.DmListParams;
import io.parley.protocol.types.DmListResult;
import io.parley.protocol.types.DmSendParams;
import io.parley.protocol.types.Message;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import io.parley.sql.MessageStore;
import io.parley.sql.NewMessage;
import java.util.concurrent.CompletableFuture;

/**
 * {@code dm.send} and {@code dm.list} (contract 1.1). A direct message is stored like a room
 * message, in the pair's conversation room ({@link DirectRooms}), through the same group commit,
 * so it has its own gap-free seq run and an idempotent {@code clientId}; it is published with
 * {@code "to"} set, and the hub delivers it to every session of both users, joined or not.
 *
 * <p>Token mode: the caller is the token's {@code sub}. A token without a {@code rooms} claim may
 * send direct messages to anyone; a token with one is a restricted token, and may use a
 * conversation only if its claim lists the conversation's room (whose name the token's issuer
 * can compute, see {@link DirectRooms}), like any other room: otherwise {@code -32002}. Such a
 * session is not sent the messages of conversations its claim leaves out, nor are they listed.
 */
public final class DmMethods {
  private final GroupCommitter committer;
  private final DirectRooms direct;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final TextRule textRule;
  private final SendVetting vetting;

  public DmMethods(GroupCommitter committer, DirectRooms direct, MessageStore store, BlockingWork blocking,
      TextRule textRule) {
    this(committer, direct, store, blocking, textRule, SendVetting.NONE);
  }

  /** @param vetting what a send goes through before it is stored (the publish proxy, issue #18) */
  public DmMethods(GroupCommitter committer, DirectRooms direct, MessageStore store, BlockingWork blocking,
      TextRule textRule, SendVetting vetting) {
    this.vetting = vetting;
    this.committer = committer;
    this.direct = direct;
    this.store = store;
    this.blocking = blocking;
    this.textRule = textRule;
  }

  public CompletableFuture<Message> send(CallContext context, DmSendParams params) {
    String to = Names.user("to", params.to());
    String text = textRule.check(params.text());
    String clientId = Names.clientId("clientId", params.clientId());
    String user = context.user();
    if (to.equals(user)) {
      throw new RpcException(RpcError.invalidParams("to", "to: expected another user than yourself, got \"" + to + "\""));
    }
    String room = DirectRooms.name(user, to);
    if (!context.mayUse(room)) {
      throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: your token does not allow direct messages to \""
          + to + "\" (its rooms claim does not list " + room + ")");
    }
    ClientSession session = context.caller() instanceof ClientSession s ? s : null;
    NewMessage message = new NewMessage(room, user, text, clientId);
    return vetting.vet(message, session, () -> prior(context, message, to),
        vetted -> opened(context, room, user, to).thenCompose(v -> committer.submit(vetted, session, to)));
  }

  /** {@code to}, and the message already stored under the send's clientId (none without one). */
  private CompletableFuture<SendVetting.Prior> prior(CallContext context, NewMessage message, String to) {
    if (message.clientId() == null) {
      return CompletableFuture.completedFuture(new SendVetting.Prior(to, null));
    }
    return blocking.supply(context.reads(), () -> store.byClientId(message.room(), message.sender(), message.clientId()))
        .thenApply(found -> new SendVetting.Prior(to, found.map(m -> WireMessages.of(m).withTo(to)).orElse(null)));
  }

  /** The conversation's participants are in the store before its first message is. */
  private CompletableFuture<Void> opened(CallContext context, String room, String user, String to) {
    if (direct.isRemembered(room)) {
      return CompletableFuture.completedFuture(null);
    }
    return blocking.supply(context.reads(), () -> {
      store.openConversation(room, user, to);
      return null;
    }).thenRun(() -> direct.remember(room, user, to));
  }

  public CompletableFuture<DmListResult> list(CallContext context, DmListParams params) {
    int limit = params.limit() == null ? DmListParams.DEFAULT_LIMIT : params.limit();
    if (limit < 1 || limit > DmListParams.MAX_LIMIT) {
      throw new RpcException(RpcError.invalidParams("limit",
          "limit: expected an integer from 1 to " + DmListParams.MAX_LIMIT + ", got " + params.limit()));
    }
    String user = context.user();
    return blocking.supply(context.reads(), () -> store.conversations(user, limit)).thenApply(found -> {
      found.forEach(c -> direct.remember(c.room(), user, c.with()));
      return new DmListResult(found.stream()
          .filter(c -> context.mayUse(c.room()))
          .map(c -> new Conversation(c.room(), c.with(), c.lastSeq(), c.lastRead()))
          .toList());
    });
  }
}
