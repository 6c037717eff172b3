package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.util.List;

/** Result of {@code chat.history} and of the HTTP history route: messages ascending by seq. */
public record HistoryResult(List<Message> messages) {

  public static HistoryResult from(JsonElement json) {
    return new HistoryResult(FieldReader.of(json).list("messages", Message::from));
  }
}
