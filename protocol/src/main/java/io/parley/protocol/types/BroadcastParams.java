package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of the {@code broadcast} method. */
public record BroadcastParams(String text) {

  public static BroadcastParams from(JsonElement json) {
    return new BroadcastParams(FieldReader.of(json).string("text"));
  }
}
