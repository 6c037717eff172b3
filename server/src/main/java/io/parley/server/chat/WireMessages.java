package io.parley.server.chat;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import io.parley.sql.StoredChange;
import io.parley.sql.StoredMessage;

/** Turns stored messages and changes into their wire form, the one place that knows both shapes. */
public final class WireMessages {
  private WireMessages() {}

  /** A message in its current state (contract 1.1: edited, deleted, reactions when it has them). */
  public static Message of(StoredMessage m) {
    return new Message(m.room(), m.seq(), m.sender(), m.text(), WireTime.format(m.ts()), m.clientId(), null,
        m.edited() == null ? null : WireTime.format(m.edited()), m.deleted() ? Boolean.TRUE : null, m.reactions());
  }

  public static Change of(StoredChange c) {
    return new Change(c.room(), c.rev(), c.seq(), c.kind().stored(), c.user(), WireTime.format(c.ts()), c.text(),
        c.emoji(), c.on());
  }
}
