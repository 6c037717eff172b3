package io.parley.sql;

/**
 * What marking a room read did.
 *
 * @param position the user's read position in the room afterwards (0: none)
 * @param moved true if this call moved it forward (and stored it)
 * @param lastSeq the room's last seq when it was marked; a mark above it stores nothing
 */
public record ReadMark(long position, boolean moved, long lastSeq) {}
