package io.parley.client.internal;

import io.parley.protocol.Entry;
import io.parley.protocol.Names;
import io.parley.protocol.Incoming;
import io.parley.protocol.Notification;
import io.parley.protocol.Notifications;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import io.parley.protocol.internal.Json;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.PresenceEvent;
import io.parley.protocol.types.ReadEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one frame from the server: replies go to the {@link CallQueue}, notifications to their
 * room or to the broadcast stream. A frame or notification that does not fit the contract is
 * logged and skipped; it never ends the connection. Core thread only.
 */
final class Inbound {
  private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

  private final CallQueue calls;
  private final Rooms rooms;
  private final EventStream<BroadcastNote> broadcasts;
  private final RoomState.HistoryPager pager;
  private final DirectMessages direct;

  Inbound(CallQueue calls, Rooms rooms, EventStream<BroadcastNote> broadcasts, RoomState.HistoryPager pager,
      DirectMessages direct) {
    this.direct = direct;
    this.calls = calls;
    this.rooms = rooms;
    this.broadcasts = broadcasts;
    this.pager = pager;
  }

  void onFrame(String text) {
    Incoming incoming = RpcCodec.decodeFromServer(text);
    if (incoming instanceof Incoming.Single single) {
      onEntry(single.entry());
    } else if (incoming instanceof Incoming.Batch batch) {
      batch.entries().forEach(this::onEntry);
    } else if (incoming instanceof Incoming.Rejected rejected) {
      LOG.warn("server sent a frame that is not JSON-RPC: {}", rejected.response().error().message());
    }
  }

  private void onEntry(Entry entry) {
    if (!(entry instanceof Entry.Valid valid)) {
      LOG.warn("server sent an invalid message: {}", ((Entry.Invalid) entry).error().error().message());
    } else if (valid.message() instanceof Response response) {
      if (response.isError() && response.id().isJsonNull()) {
        LOG.warn("server reported an error about no call: {}", response.error().message());
      }
      calls.onResponse(response);
    } else if (valid.message() instanceof Notification notification) {
      try {
        onNotification(notification);
      } catch (RpcException e) {
        LOG.warn("notification {} does not fit the contract: {}", notification.method(), e.getMessage());
      }
    } else {
      LOG.debug("server sent a request; clients answer none: {}", valid.message());
    }
  }

  private void onNotification(Notification n) {
    String method = n.method();
    if (Notifications.CHAT_MESSAGE.name().equals(method)) {
      Message message = Notifications.CHAT_MESSAGE.readParams(n.params());
      RoomState room = rooms.get(message.room());
      if (room != null) {
        room.accept(message, pager);
      } else if (message.to() != null) {
        direct.accept(message);
      }
    } else if (Notifications.ROOM_JOINED.name().equals(method) || Notifications.ROOM_LEFT.name().equals(method)) {
      PresenceEvent event = PresenceEvent.from(n.params());
      RoomState room = rooms.get(event.room());
      if (room != null) {
        room.onPresence(event.user(), Notifications.ROOM_JOINED.name().equals(method));
      }
    } else if (Notifications.CHAT_TYPING.name().equals(method)) {
      PresenceEvent event = Notifications.CHAT_TYPING.readParams(n.params());
      RoomState room = rooms.get(event.room());
      if (room != null) {
        room.onTyping(event.user());
      }
    } else if (Notifications.ROOM_READ.name().equals(method)) {
      ReadEvent event = Notifications.ROOM_READ.readParams(n.params());
      RoomState room = rooms.get(event.room());
      if (room != null) {
        room.onRead(event.user(), event.seq());
      }
    } else if (Notifications.CHAT_CHANGE.name().equals(method)) {
      Change change = Notifications.CHAT_CHANGE.readParams(n.params());
      RoomState room = rooms.get(change.room());
      if (room != null) {
        room.acceptChange(change, pager);
      } else if (change.room().startsWith(Names.DIRECT_ROOM_PREFIX)) {
        direct.acceptChange(change); // a direct conversation: its changes come without a join
      } else {
        LOG.debug("chat.change of room {}, which this client has left; ignored", change.room());
      }
    } else if (Notifications.BROADCAST.name().equals(method)) {
      broadcasts.publish(Notifications.BROADCAST.readParams(n.params()));
    } else {
      LOG.debug("unknown notification {} {}", method, n.params() == null ? "" : Json.brief(n.params()));
    }
  }
}
