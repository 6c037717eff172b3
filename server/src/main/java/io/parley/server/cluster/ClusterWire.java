package io.parley.server.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.JsonText;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import io.parley.server.hub.RoomChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a commit on a room's (or the direct) subject, written and read in one place: a
 * commit's messages of one room are a JSON array of {@code Message}s (a lone object is a node of an
 * older release); its changes are {@code {"changes": [Change + "to"?]}}, one room's, in rev order.
 * Cluster messages come from our own nodes, so they are parsed with Gson's plain parser.
 */
final class ClusterWire {
  private static final String CHANGES = "changes";
  private static final String TO = "to";

  private ClusterWire() {}

  static JsonElement ofMessages(List<Message> messages) {
    JsonArray array = new JsonArray(messages.size());
    messages.forEach(m -> array.add(JsonText.toTree(m)));
    return array;
  }

  static JsonElement ofChanges(List<RoomChange> changes) {
    JsonArray array = new JsonArray(changes.size());
    for (RoomChange c : changes) {
      JsonObject tree = JsonText.toTree(c.change()).getAsJsonObject();
      if (c.to() != null) {
        tree.addProperty(TO, c.to());
      }
      array.add(tree);
    }
    JsonObject payload = new JsonObject();
    payload.add(CHANGES, array);
    return payload;
  }

  static boolean holdsChanges(JsonElement payload) {
    return payload.isJsonObject() && payload.getAsJsonObject().has(CHANGES);
  }

  static List<Message> messages(JsonElement payload) {
    List<Message> messages = new ArrayList<>();
    for (JsonElement m : payload.isJsonArray() ? payload.getAsJsonArray() : List.of(payload)) {
      messages.add(Message.from(m));
    }
    return messages;
  }

  static List<RoomChange> changes(JsonElement payload) {
    JsonArray array = payload.getAsJsonObject().getAsJsonArray(CHANGES);
    List<RoomChange> changes = new ArrayList<>(array.size());
    for (JsonElement c : array) {
      JsonElement to = c.getAsJsonObject().get(TO);
      changes.add(new RoomChange(Change.from(c), to == null || to.isJsonNull() ? null : to.getAsString()));
    }
    return changes;
  }
}
