package io.parley.protocol.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * Reads one JSON document with RFC 8259 strictness, which Gson's {@code JsonParser} does not give:
 * it is lenient, reads empty input as null and lets a duplicate key silently replace the first.
 * Here empty input, trailing content, duplicate keys and nesting past a limit are all refused, and
 * numbers keep their exact text ({@link NumberLiteral}).
 *
 * <p>Stateless and thread-safe.
 */
public final class StrictJsonParser {

  /** Why a text was refused: {@code notJson} is a syntax error, otherwise a structural one. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean notJson;

    Failure(boolean notJson, String message) {
      super(message, null, false, false);
      this.notJson = notJson;
    }

    public boolean notJson() {
      return notJson;
    }
  }

  private StrictJsonParser() {}

  public static JsonElement parse(String text, int maxDepth) throws Failure {
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setStrictness(Strictness.STRICT);
    try {
      if (reader.peek() == JsonToken.END_DOCUMENT) {
        throw new Failure(true, "empty input");
      }
      JsonElement value = read(reader, 0, maxDepth);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new Failure(true, "unexpected content after the JSON value");
      }
      return value;
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new Failure(true, describe(e));
    }
  }

  private static JsonElement read(JsonReader reader, int depth, int maxDepth)
      throws IOException, Failure {
    JsonToken token = reader.peek();
    switch (token) {
      case BEGIN_OBJECT:
        return readObject(reader, depth + 1, maxDepth);
      case BEGIN_ARRAY:
        return readArray(reader, depth + 1, maxDepth);
      case STRING:
        return new JsonPrimitive(reader.nextString());
      case NUMBER:
        return new JsonPrimitive(new NumberLiteral(reader.nextString()));
      case BOOLEAN:
        return new JsonPrimitive(reader.nextBoolean());
      case NULL:
        reader.nextNull();
        return JsonNull.INSTANCE;
      default:
        throw new Failure(true, "unexpected " + token);
    }
  }

  private static JsonObject readObject(JsonReader reader, int depth, int maxDepth)
      throws IOException, Failure {
    checkDepth(depth, maxDepth);
    JsonObject object = new JsonObject();
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (object.has(name)) {
        throw new Failure(false, "duplicate key \"" + name + "\"");
      }
      object.add(name, read(reader, depth, maxDepth));
    }
    reader.endObject();
    return object;
  }

  private static JsonArray readArray(JsonReader reader, int depth, int maxDepth)
      throws IOException, Failure {
    checkDepth(depth, maxDepth);
    JsonArray array = new JsonArray();
    reader.beginArray();
    while (reader.hasNext()) {
      array.add(read(reader, depth, maxDepth));
    }
    reader.endArray();
    return array;
  }

  private static void checkDepth(int depth, int maxDepth) throws Failure {
    if (depth > maxDepth) {
      throw new Failure(false, "nesting deeper than " + maxDepth + " levels");
    }
  }

  /** Gson's messages end with a troubleshooting URL; keep the useful first sentence only. */
  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int see = message.indexOf("\nSee ");
    return see > 0 ? message.substring(0, see) : message;
  }
}
