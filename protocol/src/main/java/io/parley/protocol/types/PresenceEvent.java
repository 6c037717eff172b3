package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of the {@code room.joined} and {@code room.left} notifications. */
public record PresenceEvent(String room, String user) {

  public static PresenceEvent from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new PresenceEvent(r.string("room"), r.string("user"));
  }
}
