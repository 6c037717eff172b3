package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/** Result of {@code session.hello}; {@code protocol} is {@code parley/1.1} from a server of the 1.1 additions (clients accept any {@code parley/1.x}). */
public record HelloResult(String user, String session, String protocol) {
  public static final String PROTOCOL = "parley/1.1";

  public static HelloResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new HelloResult(r.string("user"), r.string("session"), r.string("protocol"));
  }
}
