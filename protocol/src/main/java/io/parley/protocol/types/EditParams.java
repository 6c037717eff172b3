package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code chat.edit} (contract 1.1): the message's new text. */
public record EditParams(String room, long seq, String text) {

  public static EditParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new EditParams(r.string("room"), r.integer("seq"), r.string("text"));
  }
}
