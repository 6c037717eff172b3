package io.parley.client;

/**
 * Somebody joined or left a room: the {@code room.joined} and {@code room.left} notifications
 * as one stream.
 *
 * @param room the room
 * @param user the user who came or went
 * @param joined {@code true} for {@code room.joined}, {@code false} for {@code room.left}
 */
public record PresenceChange(String room, String user, boolean joined) {}
