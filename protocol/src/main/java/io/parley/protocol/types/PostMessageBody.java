package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** The body of {@code POST /api/rooms/{room}/messages}: the room is in the path, the sender optional. */
public record PostMessageBody(String text, String from, String clientId) {

  public static PostMessageBody from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new PostMessageBody(r.string("text"), r.optString("from"), r.optString("clientId"));
  }
}
