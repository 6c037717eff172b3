package io.parley.server.ws;

/**
 * A subscriber's place in one room. While its {@code room.join} reads the store, messages, changes
 * and presence events are held; {@link #goLive} releases them, skipping messages and changes the
 * join's result already covers (seq or rev at or below it). That is what makes join plus live delivery gap-free and
 * duplicate-free without stopping the room.
 *
 * <p>Thread-safe. Deliveries of one room come from one thread at a time (a delivery round);
 * {@code goLive} runs right after the join's reply is queued, before any other reply, which is the
 * "reply, then go live" step: the session guarantees it (see {@code CONCURRENCY.md}).
 */
public interface RoomFeed {

  Subscriber subscriber();

  /**
   * Committed messages of this room, ascending seq, each encoded once for every member; written
   * through {@code batch} (the round's, on the thread that opened it; {@link WriteBatch#NONE}: unbatched).
   */
  void messages(long[] seqs, TextFrame[] frames, WriteBatch batch);

  /**
   * Committed changes of this room's messages (contract 1.1 {@code chat.change}), ascending rev:
   * held with the messages while joining; a change at or below the rev the join covered is dropped.
   */
  void changes(long[] revs, TextFrame[] frames, WriteBatch batch);

  /** A presence notification: held with the messages while joining, never filtered by seq. */
  void event(TextFrame frame);

  /**
   * The join read the room up to {@code coveredSeq} and {@code coveredRev}: release what is held
   * after them, deliver directly from now on.
   */
  void goLive(long coveredSeq, long coveredRev);

  /** {@link #goLive(long, long)} for a join that covered no change (every change is delivered). */
  default void goLive(long coveredSeq) {
    goLive(coveredSeq, -1);
  }
}
