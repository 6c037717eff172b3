package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code chat.react} (contract 1.1): add ({@code on}) or take back the caller's reaction. */
public record ReactParams(String room, long seq, String emoji, boolean on) {

  public static ReactParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new ReactParams(r.string("room"), r.integer("seq"), r.string("emoji"), r.bool("on"));
  }
}
