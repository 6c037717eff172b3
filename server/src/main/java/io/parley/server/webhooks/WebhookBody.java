package io.parley.server.webhooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.Message;
import io.parley.server.chat.WireMessages;
import io.parley.server.chat.WireTime;
import io.parley.sql.WebhookOutbox.Event;
import java.util.List;

/**
 * The body of one webhook request: a JSON array of events {@code {"id", "type", "ts", "data"}},
 * in outbox order (so in order per room). Always an array, also of one event, so a receiver has
 * one shape to read; {@code ts} is when the event happened (RFC 3339 UTC, milliseconds), and a
 * {@code message.stored} event's {@code data} is the contract's {@code Message} (as it is when
 * sent), a {@code message.changed} event's its {@code Change}.
 */
final class WebhookBody {

  private WebhookBody() {}

  static String of(List<Event> events) {
    JsonArray array = new JsonArray(events.size());
    for (Event e : events) {
      JsonObject event = new JsonObject();
      event.addProperty("id", e.eventId());
      event.addProperty("type", e.type());
      event.addProperty("ts", WireTime.format(e.createdAt()));
      event.add("data", data(e));
      array.add(event);
    }
    return JsonText.write(array);
  }

  private static JsonElement data(Event e) {
    if (e.message() != null) {
      Message message = WireMessages.of(e.message());
      return JsonText.toTree(e.recipient() == null ? message : message.withTo(e.recipient()));
    }
    if (e.change() != null) {
      return JsonText.toTree(WireMessages.of(e.change()));
    }
    try {
      return JsonText.parse(e.data() == null ? "null" : e.data(), RpcCodec.MAX_DEPTH);
    } catch (JsonText.Invalid invalid) {
      throw new IllegalStateException("outbox event " + e.eventId() + " holds no valid JSON: " + invalid.getMessage());
    }
  }
}
