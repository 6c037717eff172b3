package io.parley.sql;

import java.util.Objects;

/**
 * One user's direct conversation, as {@link MessageStore#conversations} lists it.
 *
 * @param room the conversation's room
 * @param with the other participant
 * @param lastSeq the room's last seq
 * @param lastRead the user's read position in the room (0: none)
 */
public record Conversation(String room, String with, long lastSeq, long lastRead) {

  public Conversation {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(with, "with");
  }
}
