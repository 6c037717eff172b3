package io.parley.server.chat;

import io.parley.server.ws.ClientSession;
import io.parley.server.ws.TextFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's place in one room. While its {@code room.join} reads the store, live messages are
 * held here; once the join result is queued they are released, skipping those the result already
 * covers (seq at or below it). That is what makes join plus live delivery gap-free and
 * duplicate-free without stopping the room.
 *
 * <p>Thread-safe under the session's {@link ClientSession#order()} lock: the committer thread
 * delivers while the joining call goes live, and going live happens under the same lock as
 * queueing the join reply, so no other reply can come between them.
 */
final class Member {
  private record Held(long seq, TextFrame frame) {}

  private final ClientSession session;
  private List<Held> held = new ArrayList<>();
  /** Bytes of the frames held; they count like queued notifications toward the 1013 limit. */
  private long heldBytes;
  /** The seq the join result covered; a message committed before the join's read but published
   * after it arrives here late and must not be shown twice. */
  private long covered = -1;

  Member(ClientSession session) {
    this.session = session;
  }

  ClientSession session() {
    return session;
  }

  /**
   * A presence notification: held with the messages while joining, so the member sees events in
   * the order they happened, and never filtered by seq.
   */
  void deliverEvent(TextFrame frame) {
    deliver(Long.MAX_VALUE, frame);
  }

  void deliver(long seq, TextFrame frame) {
    synchronized (session.order()) {
      if (held != null) {
        hold(seq, frame);
      } else if (seq > covered) {
        session.notify(frame);
      }
    }
  }

  /** Several committed messages of this room at once (one delivery round), ascending by seq. */
  void deliverAll(long[] seqs, TextFrame[] frames) {
    synchronized (session.order()) {
      if (held != null) {
        for (int i = 0; i < seqs.length; i++) {
          hold(seqs[i], frames[i]);
        }
        return;
      }
      for (int i = 0; i < seqs.length; i++) {
        if (seqs[i] > covered) {
          session.notify(frames[i]);
        }
      }
    }
  }

  /**
   * Holds a frame while the join reads the store. A join's read waits while the session's replies
   * are backed up, so a client that does not read could make this list grow with every message of
   * a busy room: past the session's notification limit it is a slow consumer like any other.
   */
  private void hold(long seq, TextFrame frame) {
    if (heldBytes < 0) {
      return; // given up on: the session is closing with 1013
    }
    heldBytes += frame.size();
    if (heldBytes > session.outbound().limit()) {
      held.clear();
      heldBytes = -1;
      session.outbound().overflow();
      return;
    }
    held.add(new Held(seq, frame));
  }

  /** Releases what was held after {@code coveredSeq} and delivers directly from now on. */
  void goLive(long coveredSeq) {
    synchronized (session.order()) {
      release(coveredSeq);
    }
  }

  private void release(long coveredSeq) {
    if (held == null) {
      return;
    }
    for (Held h : held) {
      if (h.seq > coveredSeq) {
        session.notify(h.frame);
      }
    }
    held = null;
    covered = coveredSeq;
  }
}
