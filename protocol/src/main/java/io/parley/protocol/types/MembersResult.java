package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.util.List;

/** Result of {@code room.members}: the distinct user names in the room, sorted. */
public record MembersResult(String room, List<String> members) {

  public static MembersResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new MembersResult(
        r.string("room"), r.list("members", e -> FieldReader.stringItem("members", e)));
  }
}
