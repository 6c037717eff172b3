package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code chat.send}; a repeated {@code clientId} stores nothing new. */
public record SendParams(String room, String text, String clientId) {

  public static SendParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new SendParams(r.string("room"), r.string("text"), r.optString("clientId"));
  }
}
