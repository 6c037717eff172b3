package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * One item of {@code dm.list} (contract 1.1).
 *
 * @param room the conversation's room ({@code dm.} and 32 hex characters)
 * @param with the other participant
 * @param seq the room's last seq
 * @param lastRead the caller's read position in the room (0: none)
 */
public record Conversation(String room, String with, long seq, long lastRead) {

  public static Conversation from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new Conversation(r.string("room"), r.string("with"), r.integer("seq"), r.integer("lastRead"));
  }
}
