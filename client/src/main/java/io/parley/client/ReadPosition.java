package io.parley.client;

/**
 * A member's read position in a room moved (contract 1.1 {@code room.read}); positions only move
 * forward.
 *
 * @param room the room
 * @param user whose position moved
 * @param seq the seq read up to
 */
public record ReadPosition(String room, String user, long seq) {}
