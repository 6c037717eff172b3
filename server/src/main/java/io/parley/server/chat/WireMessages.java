package io.parley.server.chat;

import io.parley.protocol.types.Message;
import io.parley.sql.StoredMessage;

/** Turns a stored message into its wire form, the one place that knows both shapes. */
public final class WireMessages {
  private WireMessages() {}

  public static Message of(StoredMessage m) {
    return new Message(m.room(), m.seq(), m.sender(), m.text(), WireTime.format(m.ts()), m.clientId());
  }
}
