package io.parley.sql;

/**
 * Where a room stands for one user, read in one query: what a join needs when it recovers nothing.
 *
 * @param lastSeq the room's last seq, 0 if it has no message
 * @param lastRev the room's last rev, 0 if none of its messages was changed
 * @param readPosition the user's read position in the room, 0 if none
 */
public record RoomState(long lastSeq, long lastRev, long readPosition) {}
