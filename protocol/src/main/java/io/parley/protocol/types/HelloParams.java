package io.parley.protocol.types;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.parley.protocol.internal.FieldReader;

/**
 * Params of {@code session.hello}: a name in open mode, a JWT in token mode, and (contract 1.1)
 * {@code credentials}, any JSON the server hands to the application's connect proxy; all optional.
 *
 * @param credentials the JSON as sent, or {@code null} when absent or JSON {@code null}
 */
public record HelloParams(String name, String token, JsonElement credentials) {

  /** Without credentials: open mode and token mode. */
  public HelloParams(String name, String token) {
    this(name, token, null);
  }

  public static HelloParams from(JsonElement json) {
    if (json == null) {
      return new HelloParams(null, null, null);
    }
    FieldReader r = FieldReader.of(json);
    JsonElement credentials = ((JsonObject) json).get("credentials");
    return new HelloParams(r.optString("name"), r.optString("token"),
        credentials == null || credentials instanceof JsonNull ? null : credentials.deepCopy());
  }
}
