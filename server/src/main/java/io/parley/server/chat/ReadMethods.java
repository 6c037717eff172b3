package io.parley.server.chat;

import io.parley.protocol.Names;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.ReadEvent;
import io.parley.protocol.types.ReadParams;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import io.parley.sql.MessageStore;
import io.parley.sql.ReadMark;
import java.util.concurrent.CompletableFuture;

/**
 * {@code room.read} (contract 1.1): a member moves its read position in a room forward. The store
 * keeps one position per room and user (so it survives restarts and is shared by the user's
 * sessions on every node) and never moves it back or past the room's last seq. When it moves, the
 * room's other members hear {@code room.read} on every node; the notification is not stored,
 * the position is ({@code room.join} answers it as {@code lastRead}).
 */
public final class ReadMethods {
  private final Hub rooms;
  private final Presence presence;
  private final MessageStore store;
  private final BlockingWork blocking;

  public ReadMethods(Hub rooms, Presence presence, MessageStore store, BlockingWork blocking) {
    this.rooms = rooms;
    this.presence = presence;
    this.store = store;
    this.blocking = blocking;
  }

  public CompletableFuture<ReadParams> read(CallContext context, ReadParams params) {
    String room = Names.room("room", params.room());
    long seq = params.seq();
    if (seq < 0) {
      throw new RpcException(RpcError.invalidParams("seq", "seq: expected an integer >= 0, got " + seq));
    }
    ClientSession session = RoomMethods.sessionOf(context);
    if (!rooms.isMember(room, session)) {
      throw RoomMethods.notMember(room);
    }
    String user = session.user();
    return blocking.supply(context.reads(), () -> store.markRead(room, user, seq)).thenApply(mark -> {
      if (seq > mark.lastSeq()) {
        throw new RpcException(RpcError.invalidParams("seq",
            "seq: expected at most the room's last seq " + mark.lastSeq() + ", got " + seq));
      }
      if (mark.moved()) {
        tellOthers(session, room, user, mark);
      }
      return new ReadParams(room, mark.position());
    });
  }

  private void tellOthers(ClientSession session, String room, String user, ReadMark mark) {
    String notification = RpcCodec.encode(Notifications.ROOM_READ.toMessage(new ReadEvent(room, user, mark.position())));
    rooms.notifyMembers(room, session, notification);
    presence.relay(room, notification);
  }
}
