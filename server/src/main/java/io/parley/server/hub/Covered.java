package io.parley.server.hub;

/**
 * What a joining member's store read covered: the broker starts the room's live feed of messages
 * after {@code lastSeq} and of changes after {@code lastRev}, so the read and the feed leave no gap.
 */
public interface Covered {

  /** The room's last seq the read saw. */
  long lastSeq();

  /** The room's last rev the read saw (contract 1.1); it was read before the messages. */
  long lastRev();
}
