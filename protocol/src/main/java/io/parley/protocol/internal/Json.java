package io.parley.protocol.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The two Gson instances the protocol needs. Trees are written with nulls kept (an echoed
 * {@code {"a":null}} must come back whole); records are turned into trees with nulls dropped so
 * optional members such as {@code clientId} are simply absent.
 */
public final class Json {
  /** Writes trees; keeps null members; no HTML escaping of {@code < > &}. */
  public static final Gson TREE_WRITER =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private static final Gson RECORDS = new GsonBuilder().disableHtmlEscaping().create();

  private Json() {}

  /** A record (or list of records) as a JSON tree; null components are omitted. */
  public static JsonElement toTree(Object value) {
    return value == null ? JsonNull.INSTANCE : RECORDS.toJsonTree(value);
  }

  public static String write(JsonElement tree) {
    return TREE_WRITER.toJson(tree);
  }

  /** A short, quoted rendering of a value for error messages, cut at 40 characters. */
  public static String brief(JsonElement value) {
    if (value == null) {
      return "nothing";
    }
    return cut(write(value), 40);
  }

  /** At most {@code max} characters, ending in "..." when cut; never splits a surrogate pair. */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }

  public static boolean isInteger(JsonElement value) {
    return value instanceof JsonPrimitive p && p.isNumber() && exactLong(p) != null;
  }

  /** The exact long value of a JSON number, or {@code null} when fractional or out of range. */
  public static Long exactLong(JsonPrimitive number) {
    Number n = number.getAsNumber();
    if (n instanceof NumberLiteral literal) {
      return literal.exactLong();
    }
    return new NumberLiteral(n.toString()).exactLong();
  }

  public static JsonObject object(String name, String value) {
    JsonObject object = new JsonObject();
    object.addProperty(name, value);
    return object;
  }
}
