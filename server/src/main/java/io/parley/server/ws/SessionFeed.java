package io.parley.server.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's {@link RoomFeed}: held frames, the seq its join covered, and the writes, all under the
 * session's {@link ClientSession#order()} lock, which is also held while the join's reply is
 * queued and this feed goes live, so no other reply can come between them.
 */
final class SessionFeed implements RoomFeed {
  /** A held frame: a message has its seq (and no rev), a change its rev (and no seq), an event neither. */
  private record Held(long seq, long rev, TextFrame frame) {}

  private static final long NONE = Long.MAX_VALUE;

  private final ClientSession session;
  private List<Held> held = new ArrayList<>();
  /** Bytes of the frames held; they count like queued notifications toward the 1013 limit. */
  private long heldBytes;
  /** The seq the join result covered; a message committed before the join's read but published
   * after it arrives here late and must not be shown twice. */
  private long covered = -1;
  /** The rev the join result covered, for changes as {@link #covered} is for messages. */
  private long coveredRev = -1;

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
        hold(NONE, NONE, frame);
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
          hold(seqs[i], NONE, frames[i]);
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

  @Override
  public void changes(long[] revs, TextFrame[] frames, WriteBatch batch) {
    synchronized (session.order()) {
      if (held != null) {
        for (int i = 0; i < revs.length; i++) {
          hold(NONE, revs[i], frames[i]);
        }
        return;
      }
      for (int i = 0; i < revs.length; i++) {
        if (revs[i] > coveredRev) {
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
  private void hold(long seq, long rev, TextFrame frame) {
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
    held.add(new Held(seq, rev, frame));
  }

  @Override
  public void goLive(long coveredSeq, long coveredRev) {
    synchronized (session.order()) {
      if (held == null) {
        return;
      }
      for (Held h : held) {
        if (h.seq > coveredSeq && h.rev > coveredRev) {
          session.outbound().notify(h.frame);
        }
      }
      held = null;
      covered = coveredSeq;
      this.coveredRev = coveredRev;
    }
  }
}
