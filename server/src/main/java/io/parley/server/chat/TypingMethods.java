package io.parley.server.chat;

import io.parley.protocol.Names;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.PresenceEvent;
import io.parley.protocol.types.RoomParams;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code chat.typing} (contract 1.1): a member tells the room's other members, on every node, that
 * it is typing. Nothing is stored. At most one per session and room per {@link #INTERVAL_NANOS} is
 * relayed and the rest are dropped without a word, so a client that sends one per keystroke costs
 * the room one notification a second. Thread-safe.
 */
public final class TypingMethods {
  /** The contract's bound: one relayed per session and room per second. */
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Past this many throttle entries, those older than the interval (as good as absent) are swept out. */
  static final int SWEEP_AT = 10_000;

  /** By session id, not session: the throttle must not keep a closed session's buffers reachable. */
  private record Key(String session, String room) {}

  private final Hub rooms;
  private final Presence presence;
  private final LongSupplier nanoTime;
  /** When each session last had a typing relayed in each room; swept as it grows (see {@link #SWEEP_AT}). */
  private final Map<Key, Long> lastRelayed = new ConcurrentHashMap<>();
  /** When the last sweep ran: at most one a second, on one thread, however many call meanwhile. */
  private final AtomicLong lastSweep;

  public TypingMethods(Hub rooms, Presence presence, LongSupplier nanoTime) {
    this.rooms = rooms;
    this.presence = presence;
    this.nanoTime = nanoTime;
    this.lastSweep = new AtomicLong(nanoTime.getAsLong());
  }

  public CompletableFuture<RoomParams> typing(CallContext context, RoomParams params) {
    String room = Names.room("room", params.room());
    ClientSession session = RoomMethods.sessionOf(context);
    if (!rooms.isMember(room, session)) {
      throw RoomMethods.notMember(room);
    }
    if (due(new Key(session.id(), room))) {
      String notification = RpcCodec.encode(Notifications.CHAT_TYPING.toMessage(new PresenceEvent(room, session.user())));
      rooms.notifyMembers(room, session, notification);
      presence.relay(room, notification);
    }
    return CompletableFuture.completedFuture(new RoomParams(room));
  }

  private boolean due(Key key) {
    long now = nanoTime.getAsLong();
    long swept = lastSweep.get();
    if (lastRelayed.size() >= SWEEP_AT && now - swept >= INTERVAL_NANOS && lastSweep.compareAndSet(swept, now)) {
      lastRelayed.values().removeIf(last -> now - last >= INTERVAL_NANOS);
    }
    boolean[] due = new boolean[1];
    lastRelayed.compute(key, (k, last) -> {
      due[0] = last == null || now - last >= INTERVAL_NANOS;
      return due[0] ? now : last;
    });
    return due[0];
  }
}
