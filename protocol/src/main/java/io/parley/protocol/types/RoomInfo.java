package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * Result of {@code room.info} (contract 1.1): a room's occupancy, counted across all nodes.
 *
 * @param room the room
 * @param seq the last seq in the room, 0 if none
 * @param rev the room's change counter, 0 before its first change
 * @param members distinct users in the room
 * @param sessions sessions in the room (a user may have several)
 */
public record RoomInfo(String room, long seq, long rev, long members, long sessions) {

  public static RoomInfo from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new RoomInfo(r.string("room"), r.integer("seq"), r.integer("rev"), r.integer("members"),
        r.integer("sessions"));
  }
}
