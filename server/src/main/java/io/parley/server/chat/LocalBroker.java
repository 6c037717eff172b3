package io.parley.server.chat;

import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.Message;
import io.parley.server.ws.SessionRegistry;
import io.parley.server.ws.TextFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    publishAll(List.of(message));
  }

  /** Each room's messages of the round go to each member together, encoded once. */
  @Override
  public void publishAll(List<Message> messages) {
    Map<String, List<Message>> byRoom = new LinkedHashMap<>();
    for (Message message : messages) {
      byRoom.computeIfAbsent(message.room(), r -> new ArrayList<>()).add(message);
    }
    byRoom.forEach((room, roomMessages) -> {
      int n = roomMessages.size();
      long[] seqs = new long[n];
      TextFrame[] frames = new TextFrame[n];
      for (int i = 0; i < n; i++) {
        Message message = roomMessages.get(i);
        seqs[i] = message.seq();
        frames[i] = TextFrame.of(RpcCodec.encode(Notifications.CHAT_MESSAGE.toMessage(message)));
      }
      rooms.deliverAll(room, seqs, frames);
    });
  }

  @Override
  public int broadcast(String notification) {
    return sessions.notifyAll(notification);
  }
}
