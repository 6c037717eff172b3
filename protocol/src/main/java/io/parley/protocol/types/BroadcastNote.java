package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of the {@code broadcast} notification. */
public record BroadcastNote(String from, String text, String ts) {

  public static BroadcastNote from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new BroadcastNote(r.string("from"), r.string("text"), r.string("ts"));
  }
}
