package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * Params of {@code dm.send} (contract 1.1): a direct message to user {@code to}; a repeated
 * {@code clientId} stores nothing new.
 */
public record DmSendParams(String to, String text, String clientId) {

  public static DmSendParams from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new DmSendParams(r.string("to"), r.string("text"), r.optString("clientId"));
  }
}
