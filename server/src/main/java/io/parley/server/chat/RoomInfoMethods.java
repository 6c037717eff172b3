package io.parley.server.chat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.RoomInfo;
import io.parley.protocol.types.RoomParams;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import io.parley.server.rpc.CallContext;
import io.parley.sql.MessageStore;
import java.util.concurrent.CompletableFuture;

/**
 * {@code room.info} (contract 1.1): a room's occupancy across all nodes (this node's members and
 * what the other nodes last announced), with its last seq from the store. The caller need not be a
 * member; in token mode the token must allow the room. Works over {@code POST /rpc} too. A
 * {@code dm.} room's occupancy is for its two participants only ({@code -32002} for others).
 */
public final class RoomInfoMethods {

  private final Hub rooms;
  private final RoomMethods members;
  private final Presence presence;
  private final MessageStore store;
  private final BlockingWork blocking;

  public RoomInfoMethods(Hub rooms, RoomMethods members, Presence presence, MessageStore store, BlockingWork blocking) {
    this.rooms = rooms;
    this.members = members;
    this.presence = presence;
    this.store = store;
    this.blocking = blocking;
  }

  public CompletableFuture<RoomInfo> info(CallContext context, RoomParams params) {
    String room = Names.room("room", params.room());
    if (!context.mayUse(room)) {
      throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: your token does not allow room \"" + room + "\"");
    }
    if (Names.isDirectRoom(room)) {
      return members.direct().otherParticipant(context, room, context.user()).thenCompose(other -> occupancy(context, room));
    }
    return occupancy(context, room);
  }

  private CompletableFuture<RoomInfo> occupancy(CallContext context, String room) {
    String user = context.user();
    return blocking.supply(context.reads(), () -> store.roomState(room, user))
        .thenApply(state -> new RoomInfo(room, state.lastSeq(), state.lastRev(), members.users(room).size(),
            rooms.sessions(room) + presence.remoteSessions(room)));
  }
}
