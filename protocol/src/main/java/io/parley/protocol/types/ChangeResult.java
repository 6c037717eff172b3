package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * Result of {@code chat.edit}, {@code chat.delete} and {@code chat.react} (contract 1.1).
 *
 * @param room the room
 * @param seq the message
 * @param rev with {@code changed}: the change's rev; without: the room's current rev
 * @param changed false when the call changed nothing (same text, deleted twice, a reaction
 *     already there or already gone) and nothing was stored
 */
public record ChangeResult(String room, long seq, long rev, boolean changed) {

  public static ChangeResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new ChangeResult(r.string("room"), r.integer("seq"), r.integer("rev"), r.bool("changed"));
  }
}
