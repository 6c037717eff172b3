package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.util.List;

/**
 * Result of {@code room.join}.
 *
 * @param room the room
 * @param seq the last seq in the room, 0 if none
 * @param members the distinct user names in the room, sorted
 * @param missed with {@code since}: the messages after it, ascending; otherwise empty
 * @param truncated true when more missed messages exist than {@code missed} holds
 * @param lastRead (contract 1.1) the joining user's read position in the room, 0 if none; a 1.0
 *     server sends none, read as 0
 */
public record JoinResult(
    String room, long seq, List<String> members, List<Message> missed, boolean truncated, long lastRead) {

  public static JoinResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new JoinResult(
        r.string("room"),
        r.integer("seq"),
        r.list("members", e -> FieldReader.stringItem("members", e)),
        r.list("missed", Message::from),
        r.bool("truncated"),
        lastRead(r));
  }

  private static long lastRead(FieldReader r) {
    Long lastRead = r.optInteger("lastRead");
    return lastRead == null ? 0 : lastRead;
  }
}
