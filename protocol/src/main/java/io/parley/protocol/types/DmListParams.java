package io.parley.protocol.types;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code dm.list} (contract 1.1); {@code limit} absent on the wire when {@code null}. */
public record DmListParams(Integer limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static DmListParams from(JsonElement json) {
    // Every param is optional, so no params at all means the defaults.
    FieldReader r = FieldReader.of(json == null || json.isJsonNull() ? new JsonObject() : json);
    Long limit = r.optInteger("limit");
    return new DmListParams(limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)));
  }
}
