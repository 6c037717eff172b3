package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Result of the {@code broadcast} method: how many sessions the notification was queued to. */
public record BroadcastResult(long delivered) {

  public static BroadcastResult from(JsonElement json) {
    return new BroadcastResult(FieldReader.of(json).integer("delivered"));
  }
}
