package io.parley.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.internal.Json;
import io.parley.protocol.internal.StrictJsonParser;
import java.lang.reflect.Type;

/**
 * JSON text the way the contract writes and reads it, for servers and tools built on it: trees are
 * written with their nulls kept and no HTML escaping, records become trees without their null
 * components, and input is parsed strictly (no duplicate members, no lenient syntax, bounded depth).
 */
public final class JsonText {

  /** Input that is not strict JSON, or nests deeper than allowed. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private JsonText() {}

  /** Parses {@code text} strictly, refusing nesting deeper than {@code maxDepth}. */
  public static JsonElement parse(String text, int maxDepth) throws Invalid {
    try {
      return StrictJsonParser.parse(text, maxDepth);
    } catch (StrictJsonParser.Failure e) {
      throw new Invalid(e.getMessage());
    }
  }

  /** A record (or list of records) as a tree; null components are left out. */
  public static JsonElement toTree(Object value) {
    return Json.toTree(value);
  }

  /** A value of a generic {@code type} (a map of maps, say) as a tree. */
  public static JsonElement toTree(Object value, Type type) {
    return Json.TREE_WRITER.toJsonTree(value, type);
  }

  /** A tree as a value of {@code type}. */
  public static <T> T fromTree(JsonElement tree, Type type) {
    return Json.TREE_WRITER.fromJson(tree, type);
  }

  /** A tree as text, nulls kept. */
  public static String write(JsonElement tree) {
    return Json.write(tree);
  }

  /** {@code {"name": "value"}}. */
  public static JsonObject object(String name, String value) {
    return Json.object(name, value);
  }
}
