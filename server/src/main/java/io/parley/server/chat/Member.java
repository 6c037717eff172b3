package io.parley.server.chat;

import io.parley.server.ws.ClientSession;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's place in one room. While its {@code room.join} reads the store, live messages are
 * held here; once the join result is queued they are released, skipping those the result already
 * covers (seq at or below it). That is what makes join plus live delivery gap-free and
 * duplicate-free without stopping the room.
 *
 * <p>Thread-safe: the committer thread delivers while the joining call goes live.
 */
final class Member {
  private record Held(long seq, String text) {}

  private final ClientSession session;
  private List<Held> held = new ArrayList<>();

  Member(ClientSession session) {
    this.session = session;
  }

  ClientSession session() {
    return session;
  }

  synchronized void deliver(long seq, String text) {
    if (held != null) {
      held.add(new Held(seq, text));
    } else {
      session.notify(text);
    }
  }

  /** Releases what was held after {@code coveredSeq} and delivers directly from now on. */
  synchronized void goLive(long coveredSeq) {
    if (held == null) {
      return;
    }
    for (Held h : held) {
      if (h.seq > coveredSeq) {
        session.notify(h.text);
      }
    }
    held = null;
  }

  synchronized boolean isLive() {
    return held == null;
  }
}
