package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Result of {@code session.hello}; {@code protocol} is always {@code parley/1}. */
public record HelloResult(String user, String session, String protocol) {
  public static final String PROTOCOL = "parley/1";

  public static HelloResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new HelloResult(r.string("user"), r.string("session"), r.string("protocol"));
  }
}
