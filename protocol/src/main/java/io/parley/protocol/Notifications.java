package io.parley.protocol;

import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.PresenceEvent;
import io.parley.protocol.types.ReadEvent;

/** Every notification the server sends, by its wire name. */
public final class Notifications {
  public static final RpcNotification<Message> CHAT_MESSAGE =
      new RpcNotification<>("chat.message", Message::from);
  public static final RpcNotification<PresenceEvent> ROOM_JOINED =
      new RpcNotification<>("room.joined", PresenceEvent::from);
  public static final RpcNotification<PresenceEvent> ROOM_LEFT =
      new RpcNotification<>("room.left", PresenceEvent::from);
  /** Contract 1.1: a member is typing; relayed, never stored. */
  public static final RpcNotification<PresenceEvent> CHAT_TYPING =
      new RpcNotification<>("chat.typing", PresenceEvent::from);
  /** Contract 1.1: a member's read position moved. */
  public static final RpcNotification<ReadEvent> ROOM_READ =
      new RpcNotification<>("room.read", ReadEvent::from);
  /** Contract 1.1: a stored change to a message (edit, delete, react), in rev order per room. */
  public static final RpcNotification<Change> CHAT_CHANGE =
      new RpcNotification<>("chat.change", Change::from);
  public static final RpcNotification<BroadcastNote> BROADCAST =
      new RpcNotification<>("broadcast", BroadcastNote::from);

  private Notifications() {}
}
