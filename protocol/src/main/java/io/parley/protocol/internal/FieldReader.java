package io.parley.protocol.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the members of a params or result object with exact types, failing with a {@code -32602}
 * that names the field and says what was expected and what came. Binding by hand instead of Gson
 * reflection is what makes those messages possible and keeps {@code "5"} from passing as 5.
 * Unknown members are ignored so newer peers can add fields.
 */
public final class FieldReader {
  private final JsonObject object;

  private FieldReader(JsonObject object) {
    this.object = object;
  }

  /** Requires {@code params} to be a JSON object. */
  public static FieldReader of(JsonElement params) {
    if (params instanceof JsonObject o) {
      return new FieldReader(o);
    }
    throw new RpcException(
        RpcError.invalidParams("params", "params: expected an object, got " + Json.brief(params)));
  }

  private JsonElement member(String name) {
    JsonElement value = object.get(name);
    return value == null || value instanceof JsonNull ? null : value;
  }

  public String string(String name) {
    String value = optString(name);
    if (value == null) {
      throw missing(name, "a string");
    }
    return value;
  }

  public String optString(String name) {
    JsonElement value = member(name);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonPrimitive p && p.isString()) {
      return p.getAsString();
    }
    throw wrong(name, "a string", value);
  }

  public long integer(String name) {
    Long value = optInteger(name);
    if (value == null) {
      throw missing(name, "an integer");
    }
    return value;
  }

  public Long optInteger(String name) {
    JsonElement value = member(name);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonPrimitive p && p.isNumber()) {
      Long exact = Json.exactLong(p);
      if (exact != null) {
        return exact;
      }
    }
    throw wrong(name, "an integer", value);
  }

  public boolean bool(String name) {
    JsonElement value = member(name);
    if (value instanceof JsonPrimitive p && p.isBoolean()) {
      return p.getAsBoolean();
    }
    throw value == null ? missing(name, "a boolean") : wrong(name, "a boolean", value);
  }

  /** The boolean member, or {@code null} when it is absent. */
  public Boolean optBool(String name) {
    JsonElement value = member(name);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonPrimitive p && p.isBoolean()) {
      return p.getAsBoolean();
    }
    throw wrong(name, "a boolean", value);
  }

  public <T> List<T> list(String name, Function<JsonElement, T> item) {
    JsonElement value = member(name);
    if (!(value instanceof JsonArray array)) {
      throw value == null ? missing(name, "an array") : wrong(name, "an array", value);
    }
    List<T> out = new ArrayList<>(array.size());
    for (JsonElement element : array) {
      out.add(item.apply(element));
    }
    return out;
  }

  /** The object member, or {@code null} when it is absent. */
  public JsonObject optObject(String name) {
    JsonElement value = member(name);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    throw wrong(name, "an object", value);
  }

  /** The array member as a list, or {@code null} when it is absent. */
  public <T> List<T> optList(String name, Function<JsonElement, T> item) {
    return member(name) == null ? null : list(name, item);
  }

  /** Reads a string element of an array, with the same error shape. */
  public static String stringItem(String field, JsonElement element) {
    if (element instanceof JsonPrimitive p && p.isString()) {
      return p.getAsString();
    }
    throw wrong(field, "a string", element);
  }

  private static RpcException missing(String name, String expected) {
    return new RpcException(
        RpcError.invalidParams(name, name + ": expected " + expected + ", got nothing"));
  }

  private static RpcException wrong(String name, String expected, JsonElement value) {
    return new RpcException(
        RpcError.invalidParams(
            name, name + ": expected " + expected + ", got " + Json.brief(value)));
  }
}
