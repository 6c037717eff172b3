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
 * @param truncated true when more missed messages (or changes) exist than the result holds
 * @param lastRead (contract 1.1) the joining user's read position in the room, 0 if none; a 1.0
 *     server sends none, read as 0
 * @param rev (1.1) the room's change counter when the join read it, 0 before any change (and from
 *     a 1.0 server)
 * @param changes (1.1) with {@code sinceRev}: the changes after it up to {@code rev}, ascending;
 *     {@code null} (absent on the wire) without {@code sinceRev}
 */
public record JoinResult(String room, long seq, List<String> members, List<Message> missed, boolean truncated,
    long lastRead, long rev, List<Change> changes) {

  /** A result without change recovery. */
  public JoinResult(String room, long seq, List<String> members, List<Message> missed, boolean truncated,
      long lastRead) {
    this(room, seq, members, missed, truncated, lastRead, 0, null);
  }

  public static JoinResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new JoinResult(
        r.string("room"),
        r.integer("seq"),
        r.list("members", e -> FieldReader.stringItem("members", e)),
        r.list("missed", Message::from),
        r.bool("truncated"),
        orZero(r.optInteger("lastRead")),
        orZero(r.optInteger("rev")),
        r.optList("changes", Change::from));
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
