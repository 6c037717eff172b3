package io.parley.server.chat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.JoinParams;
import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.MembersResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.PresenceEvent;
import io.parley.protocol.types.RoomParams;
import io.parley.server.hub.Broker;
import io.parley.server.hub.Covered;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import io.parley.server.limits.LimitMetrics;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.RoomFeed;
import io.parley.sql.ChangePage;
import io.parley.sql.MessageStore;
import io.parley.sql.Recovery;
import io.parley.sql.RoomState;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * {@code room.join}, {@code room.leave}, {@code room.members}, and the presence side of a dropped
 * connection. A join registers the member first and reads the store second; live messages and
 * presence events that arrive meanwhile are held by its {@link RoomFeed} and released after the
 * join result, so the client sees the result, then exactly the messages after {@code seq}.
 */
public final class RoomMethods {
  /** The contract's bounds on one recovery: at most 1,000 messages and about 1 MiB. */
  static final int MAX_MISSED = 1000;
  static final long MAX_MISSED_BYTES = 1024 * 1024;

  private final Hub rooms;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final Broker broker;
  private final Presence presence;
  private final int maxRooms;
  private final LimitMetrics limits;
  private final DirectRooms direct;

  /** {@code maxRooms}: how many rooms one session may be in; a join past it answers {@code -32002}. */
  public RoomMethods(Hub rooms, MessageStore store, BlockingWork blocking, Broker broker, Presence presence,
      int maxRooms, LimitMetrics limits) {
    this(rooms, store, blocking, broker, presence, maxRooms, limits, new DirectRooms(store, blocking));
  }

  /** The same, sharing {@code direct} (who may use which conversation room) with the other methods. */
  public RoomMethods(Hub rooms, MessageStore store, BlockingWork blocking, Broker broker, Presence presence,
      int maxRooms, LimitMetrics limits, DirectRooms direct) {
    this.direct = direct;
    this.rooms = rooms;
    this.store = store;
    this.blocking = blocking;
    this.broker = broker;
    this.presence = presence;
    this.maxRooms = maxRooms;
    this.limits = limits;
  }

  /** A {@code dm.} room only for its two participants (contract 1.1); anyone else gets {@code -32002}. */
  public CompletableFuture<JoinResult> join(CallContext context, JoinParams params) {
    String room = Names.room("room", params.room());
    if (Names.isDirectRoom(room)) {
      return direct.otherParticipant(context, room, context.user()).thenCompose(other -> join(context, room, params));
    }
    return join(context, room, params);
  }

  private CompletableFuture<JoinResult> join(CallContext context, String room, JoinParams params) {
    Long since = MessageMethods.nonNegative("since", params.since());
    Long sinceRev = MessageMethods.nonNegative("sinceRev", params.sinceRev());
    if (!context.mayUse(room)) {
      throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: your token does not allow room \"" + room + "\"");
    }
    ClientSession session = sessionOf(context);
    BlockingWork.Admission read;
    RoomFeed member;
    // Under the session's admission lock: a session.hello refreshing the session's identity (a
    // connect proxy's answer on another thread) checks the rooms and swaps the allowed ones under
    // it, so the room is checked against the identity it is added under.
    synchronized (session.admissionLock()) {
      if (!context.mayUse(room)) {
        throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: your token does not allow room \"" + room + "\"");
      }
      if (!session.rooms().contains(room) && session.rooms().size() >= maxRooms) {
        limits.tripped(LimitMetrics.ROOMS_PER_SESSION);
        throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: at most " + maxRooms + " rooms per session;"
            + " leave one first");
      }
      // Taken before anything changes: a join the node cannot serve now leaves no member behind.
      read = blocking.admit();
      member = rooms.join(room, session);
      if (member != null) {
        session.rooms().add(room);
        if (session.isDeparting()) {
          // Its departure may have walked its rooms before this one was added: leave it here.
          rooms.leave(room, session);
          session.rooms().remove(room);
          blocking.giveBack(read);
          throw new RpcException(ErrorCodes.UNAVAILABLE, "Unavailable: the session is closing");
        }
      }
    }
    if (member != null) {
      announceJoined(room, session);
    }
    String user = session.user();
    return blocking.supply(read, context.reads(),
            () -> broker.readForJoin(room, () -> read(room, since, sinceRev, user)))
        .thenApply(joinRead -> {
          Recovery recovery = joinRead.recovery();
          List<Message> missed = recovery.messages().stream().map(WireMessages::of).toList();
          if (member != null) {
            context.afterReply(() -> member.goLive(joinRead.lastSeq(), joinRead.lastRev()));
          }
          List<Change> changes = joinRead.changes() == null ? null
              : joinRead.changes().changes().stream().map(WireMessages::of).toList();
          boolean truncated = recovery.truncated() || (joinRead.changes() != null && joinRead.changes().truncated());
          return new JoinResult(room, recovery.lastSeq(), users(room), missed, truncated, joinRead.lastRead(),
              joinRead.lastRev(), changes);
        })
        .whenComplete((result, failure) -> {
          if (failure != null && member != null && rooms.leave(room, session)) {
            session.rooms().remove(room);
            announceLeft(room, session);
          }
        });
  }

  /**
   * What a join reads from the store: the room's rev (read first, so the messages read after it
   * show at least the state it names, and a change after it is delivered live), the recovery, the
   * changes after {@code sinceRev} up to that rev ({@code null} without {@code sinceRev}), and the
   * joining user's read position.
   */
  private record JoinRead(long lastRev, Recovery recovery, ChangePage changes, long lastRead) implements Covered {
    @Override
    public long lastSeq() {
      return recovery.lastSeq();
    }
  }

  private JoinRead read(String room, Long since, Long sinceRev, String user) {
    RoomState state = store.roomState(room, user); // one query when the join recovers nothing
    long lastRev = state.lastRev();
    Recovery recovery = since == null ? new Recovery(List.of(), state.lastSeq(), false)
        : store.since(room, since, MAX_MISSED, MAX_MISSED_BYTES);
    ChangePage changes = null;
    if (sinceRev != null) {
      changes = sinceRev >= lastRev ? new ChangePage(List.of(), false)
          : store.changes(room, sinceRev, lastRev, MAX_MISSED, MAX_MISSED_BYTES);
    }
    return new JoinRead(lastRev, recovery, changes, state.readPosition());
  }

  /**
   * Told while the join frame is being handled, before its reply: a leave the client sends after
   * reading that reply can then never overtake it.
   */
  private void announceJoined(String room, ClientSession session) {
    presence.local(room, session.user(), true);
    String joined = RpcCodec.encode(Notifications.ROOM_JOINED.toMessage(new PresenceEvent(room, session.user())));
    rooms.notifyMembers(room, session, joined);
  }

  public CompletableFuture<RoomParams> leave(CallContext context, RoomParams params) {
    String room = Names.room("room", params.room());
    ClientSession session = sessionOf(context);
    if (!rooms.leave(room, session)) {
      throw notMember(room);
    }
    session.rooms().remove(room);
    announceLeft(room, session);
    return CompletableFuture.completedFuture(new RoomParams(room));
  }

  public CompletableFuture<MembersResult> members(CallContext context, RoomParams params) {
    String room = Names.room("room", params.room());
    if (!rooms.isMember(room, sessionOf(context))) {
      throw notMember(room);
    }
    return CompletableFuture.completedFuture(new MembersResult(room, users(room)));
  }

  /** Distinct users in the room on this node and the others, sorted. */
  List<String> users(String room) {
    List<String> remote = presence.remoteUsers(room);
    if (remote.isEmpty()) {
      return rooms.users(room);
    }
    TreeSet<String> all = new TreeSet<>(rooms.users(room));
    all.addAll(remote);
    return List.copyOf(all);
  }

  /** A connection dropped: leave every room and tell the remaining members. */
  public void disconnected(ClientSession session) {
    for (String room : List.copyOf(session.rooms())) {
      if (rooms.leave(room, session)) {
        announceLeft(room, session);
      }
    }
    session.rooms().clear();
  }

  private void announceLeft(String room, ClientSession session) {
    presence.local(room, session.user(), false);
    String left = RpcCodec.encode(Notifications.ROOM_LEFT.toMessage(new PresenceEvent(room, session.user())));
    rooms.notifyMembers(room, session, left);
  }

  /** Who may use which conversation room, shared with the other chat methods. */
  DirectRooms direct() {
    return direct;
  }

  /** Whether the session is in the room (joined, or its join is under way). */
  public boolean isMember(String room, ClientSession session) {
    return rooms.isMember(room, session);
  }

  /** The calling session of a session-only method (the method table lets no HTTP call through to one). */
  static ClientSession sessionOf(CallContext context) {
    if (context.caller() instanceof ClientSession session) {
      return session;
    }
    throw new IllegalStateException("a session-only method was called without a session");
  }

  static RpcException notMember(String room) {
    return new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: not a member of room \"" + room + "\"; join it first");
  }
}
