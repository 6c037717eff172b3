package io.parley.client;

/**
 * Somebody in a room is typing (contract 1.1 {@code chat.typing}); show it for about five seconds
 * unless another one comes.
 *
 * @param room the room
 * @param user who is typing
 */
public record Typing(String room, String user) {}
