package io.parley.server.chat;

import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.Message;
import io.parley.server.ws.SessionRegistry;

/** Single-node delivery: straight to this process's rooms and sessions. */
public final class LocalBroker implements Broker {
  private final RoomRegistry rooms;
  private final SessionRegistry sessions;

  public LocalBroker(RoomRegistry rooms, SessionRegistry sessions) {
    this.rooms = rooms;
    this.sessions = sessions;
  }

  @Override
  public void publish(Message message) {
    String text = RpcCodec.encode(Notifications.CHAT_MESSAGE.toMessage(message));
    rooms.deliver(message.room(), message.seq(), text);
  }

  @Override
  public int broadcast(String notification) {
    return sessions.notifyAll(notification);
  }
}
