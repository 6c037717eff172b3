package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Params of {@code session.hello}: a name in open mode, a JWT in token mode; both optional. */
public record HelloParams(String name, String token) {

  public static HelloParams from(JsonElement json) {
    if (json == null) {
      return new HelloParams(null, null);
    }
    FieldReader r = FieldReader.of(json);
    return new HelloParams(r.optString("name"), r.optString("token"));
  }
}
