package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code room.leave} and {@code room.members}; also the result of {@code room.leave}. */
public record RoomParams(String room) {

  public static RoomParams from(JsonElement json) {
    return new RoomParams(FieldReader.of(json).string("room"));
  }
}
