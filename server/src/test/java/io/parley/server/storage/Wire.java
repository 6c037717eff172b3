package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** JSON building and reading for the storage tests: params, seq lists, history over HTTP. */
final class Wire {
  private Wire() {}

  /** An object from name/value pairs; a {@code null} value leaves the member out. */
  static JsonObject obj(Object... namesAndValues) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      Object value = namesAndValues[i + 1];
      if (value instanceof String s) {
        o.addProperty(name, s);
      } else if (value instanceof Number n) {
        o.addProperty(name, n);
      } else if (value instanceof Boolean b) {
        o.addProperty(name, b);
      } else if (value instanceof JsonElement e) {
        o.add(name, e);
      } else if (value != null) {
        throw new IllegalArgumentException("cannot put " + value.getClass() + " into JSON");
      }
    }
    return o;
  }

  /** The items of a JSON array of objects. */
  static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> result = new ArrayList<>(array.size());
    array.forEach(e -> result.add(e.getAsJsonObject()));
    return result;
  }

  /** The {@code seq} of each message, in order. */
  static List<Long> seqs(List<JsonObject> messages) {
    return messages.stream().map(m -> m.get("seq").getAsLong()).collect(Collectors.toList());
  }

  /** {@code from, from+1, ..., to} (empty when {@code to < from}). */
  static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  /**
   * A list of seqs in short form, each run of consecutive seqs as {@code first-last}: {@code
   * [1, 2, 3, 7, 5, 6]} is {@code "1-3, 7, 5-6"}. Two lists are equal exactly when their short
   * forms are, and a failure shows a gap or a repeat at a glance.
   */
  static String runs(List<Long> seqs) {
    StringJoiner out = new StringJoiner(", ");
    for (int i = 0; i < seqs.size(); ) {
      int j = i;
      while (j + 1 < seqs.size() && seqs.get(j + 1) == seqs.get(j) + 1) {
        j++;
      }
      out.add(i == j ? String.valueOf(seqs.get(i)) : seqs.get(i) + "-" + seqs.get(j));
      i = j + 1;
    }
    return out.toString();
  }

  /** The short form of {@code from..to}, see {@link #runs}. */
  static String span(long from, long to) {
    return runs(range(from, to));
  }

  /** {@code chat.history} over the WebSocket, a page the byte cap did not cut; null bounds and limit are left out. */
  static List<JsonObject> history(RpcSocket socket, String room, Long before, Long after, Integer limit) {
    return uncut(historyResult(socket, room, before, after, limit));
  }

  /** The whole result of {@code chat.history} over the WebSocket: {@code messages} and {@code truncated}. */
  static JsonObject historyResult(RpcSocket socket, String room, Long before, Long after, Integer limit) {
    JsonObject result = socket.call("chat.history",
        obj("room", room, "before", before, "after", after, "limit", limit));
    assertThat(result.keySet()).containsExactly("messages", "truncated");
    return result;
  }

  /** {@code GET /api/rooms/{room}/messages}, a page the byte cap did not cut; null bounds and limit are left out. */
  static List<JsonObject> history(TestServer server, String room, Long before, Long after, Integer limit) {
    return uncut(historyResult(server, room, before, after, limit));
  }

  private static List<JsonObject> uncut(JsonObject result) {
    assertThat(result.get("truncated").getAsBoolean()).as("truncated of a page: %s", result.get("messages").getAsJsonArray().size()).isFalse();
    return objects(result.getAsJsonArray("messages"));
  }

  /** The whole body of {@code GET /api/rooms/{room}/messages}: {@code messages} and {@code truncated}. */
  static JsonObject historyResult(TestServer server, String room, Long before, Long after, Integer limit) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (before != null) {
      query.add("before=" + before);
    }
    if (after != null) {
      query.add("after=" + after);
    }
    if (limit != null) {
      query.add("limit=" + limit);
    }
    HttpResponse<String> response = server.get("/api/rooms/" + room + "/messages" + query);
    assertThat(response.statusCode()).as("status of GET %s", response.uri()).isEqualTo(200);
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    assertThat(body.keySet()).containsExactly("messages", "truncated");
    return body;
  }

  /** Every stored message of a room, read forwards with {@code after} in pages of up to 500 (cut or not). */
  static List<JsonObject> wholeHistory(RpcSocket socket, String room) {
    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    for (int pages = 0; pages < 100; pages++) {
      List<JsonObject> page = objects(historyResult(socket, room, null, after, 500).getAsJsonArray("messages"));
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).get("seq").getAsLong();
    }
    throw new AssertionError("history of " + room + " did not end after 100 pages");
  }
}
