package io.parley.server.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's {@link RoomFeed}: held frames, the seq its join covered, and the writes, all under the
 * session's {@link ClientSession#order()} lock, which is also held while the join's reply is
 * queued and this feed goes live, so no other reply can come between them.
 */
final class SessionFeed implements RoomFeed {
  private record Held(long seq, TextFrame frame) {}

  private final ClientSession session;
  private List<Held> held = new ArrayList<>();
  /** Bytes of the frames held; they count like queued notifications toward the 1013 limit. */
  private long heldBytes;
  /** The seq the join result covered; a message committed before the join's read but published
   * after it arrives here late and must not be shown twice. */
  private long covered = -1;

  SessionFeed(ClientSession session) {
    this.session = session;
  }

  @Override
  public Subscriber subscriber() {
    return session;
  }

  @Override
  public void event(TextFrame frame) {
    synchronized (session.order()) {
      if (held != null) {
        hold(Long.MAX_VALUE, frame);
      } else {
        session.outbound().notify(frame);
      }
    }
  }

  @Override
  public void messages(long[] seqs, TextFrame[] frames, WriteBatch batch) {
    synchronized (session.order()) {
      if (held != null) {
        for (int i = 0; i < seqs.length; i++) {
          hold(seqs[i], frames[i]);
        }
        return;
      }
      for (int i = 0; i < seqs.length; i++) {
        if (seqs[i] > covered) {
          session.outbound().notify(frames[i], batch);
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

  @Override
  public void goLive(long coveredSeq) {
    synchronized (session.order()) {
      if (held == null) {
        return;
      }
      for (Held h : held) {
        if (h.seq > coveredSeq) {
          session.outbound().notify(h.frame);
        }
      }
      held = null;
      covered = coveredSeq;
    }
  }
}
