package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.util.List;

/** Result of {@code dm.list} (contract 1.1): the caller's conversations, most recent first. */
public record DmListResult(List<Conversation> conversations) {

  public static DmListResult from(JsonElement json) {
    return new DmListResult(FieldReader.of(json).list("conversations", Conversation::from));
  }
}
