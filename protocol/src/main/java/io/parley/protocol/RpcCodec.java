package io.parley.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import io.parley.protocol.internal.Json;
import io.parley.protocol.internal.StrictJsonParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The strict JSON-RPC 2.0 codec shared by server and client. Decoding never throws: every problem
 * becomes the error response the specification asks for. Encoding keeps null members and ids
 * exactly as they arrived.
 *
 * <p>Stateless and thread-safe.
 */
public final class RpcCodec {
  /** Deeper nesting is refused before any handler sees it. */
  public static final int MAX_DEPTH = 64;

  static final String VERSION = "2.0";

  private RpcCodec() {}

  /** Decodes what a client sent: requests and notifications; anything else is invalid. */
  public static Incoming decodeCalls(String text) {
    return decode(text, true);
  }

  /** Decodes what a server sent: responses and notifications (requests are accepted too). */
  public static Incoming decodeFromServer(String text) {
    return decode(text, false);
  }

  private static Incoming decode(String text, boolean callsOnly) {
    JsonElement tree;
    try {
      tree = StrictJsonParser.parse(text, MAX_DEPTH);
    } catch (StrictJsonParser.Failure failure) {
      int code = failure.notJson() ? ErrorCodes.PARSE_ERROR : ErrorCodes.INVALID_REQUEST;
      String prefix = failure.notJson() ? "Parse error: " : "Invalid request: ";
      return new Incoming.Rejected(
          Response.failure(JsonNull.INSTANCE, RpcError.of(code, prefix + failure.getMessage())));
    }
    if (tree instanceof JsonArray array) {
      if (array.isEmpty()) {
        return new Incoming.Rejected(invalid(JsonNull.INSTANCE, "empty batch"));
      }
      List<Entry> entries = new ArrayList<>(array.size());
      for (JsonElement member : array) {
        entries.add(MessageReader.read(member, callsOnly));
      }
      return new Incoming.Batch(entries);
    }
    return new Incoming.Single(MessageReader.read(tree, callsOnly));
  }

  static Response invalid(JsonElement id, String why) {
    return Response.failure(
        id, RpcError.of(ErrorCodes.INVALID_REQUEST, "Invalid request: " + why));
  }

  /** The JSON text of one message. */
  public static String encode(RpcMessage message) {
    StringWriter out = new StringWriter(128);
    try (JsonWriter writer = newWriter(out)) {
      write(writer, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The JSON text of a batch of responses (an array, in the given order). */
  public static String encodeBatch(List<? extends RpcMessage> messages) {
    StringWriter out = new StringWriter(128 * messages.size());
    try (JsonWriter writer = newWriter(out)) {
      writer.beginArray();
      for (RpcMessage message : messages) {
        write(writer, message);
      }
      writer.endArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static JsonWriter newWriter(StringWriter out) {
    JsonWriter writer = new JsonWriter(out);
    writer.setSerializeNulls(true);
    writer.setHtmlSafe(false);
    return writer;
  }

  private static void write(JsonWriter writer, RpcMessage message) throws IOException {
    writer.beginObject();
    writer.name("jsonrpc").value(VERSION);
    if (message instanceof Request r) {
      writer.name("id");
      tree(writer, r.id());
      writer.name("method").value(r.method());
      params(writer, r.params());
    } else if (message instanceof Notification n) {
      writer.name("method").value(n.method());
      params(writer, n.params());
    } else if (message instanceof Response r) {
      writer.name("id");
      tree(writer, r.id());
      if (r.error() == null) {
        writer.name("result");
        tree(writer, r.result());
      } else {
        writeError(writer, r.error());
      }
    }
    writer.endObject();
  }

  private static void params(JsonWriter writer, JsonElement params) throws IOException {
    if (params != null) {
      writer.name("params");
      tree(writer, params);
    }
  }

  private static void writeError(JsonWriter writer, RpcError error) throws IOException {
    writer.name("error").beginObject();
    writer.name("code").value(error.code());
    writer.name("message").value(error.message());
    if (error.data() != null) {
      writer.name("data");
      tree(writer, error.data());
    }
    writer.endObject();
  }

  private static void tree(JsonWriter writer, JsonElement value) {
    Json.TREE_WRITER.toJson(value == null ? JsonNull.INSTANCE : value, writer);
  }

  /** True when {@code id} is a legal JSON-RPC id token: a string, a number or null. */
  static boolean isLegalId(JsonElement id) {
    return id instanceof JsonNull
        || (id instanceof JsonPrimitive p && (p.isString() || p.isNumber()));
  }

  static boolean isVersion(JsonObject object) {
    JsonElement version = object.get("jsonrpc");
    return version instanceof JsonPrimitive p && p.isString() && VERSION.equals(p.getAsString());
  }
}
