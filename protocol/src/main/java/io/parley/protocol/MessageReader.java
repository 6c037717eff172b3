package io.parley.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.internal.Json;

/** Turns one parsed JSON value into a {@link Entry}: the envelope rules of JSON-RPC 2.0. */
final class MessageReader {

  private MessageReader() {}

  static Entry read(JsonElement value, boolean callsOnly) {
    if (!(value instanceof JsonObject object)) {
      return invalid(JsonNull.INSTANCE, "expected an object, got " + Json.brief(value));
    }
    JsonElement id = object.get("id");
    if (id != null && !RpcCodec.isLegalId(id)) {
      return invalid(JsonNull.INSTANCE, "id must be a string, a number or null");
    }
    JsonElement replyId = id == null ? JsonNull.INSTANCE : id;
    if (!RpcCodec.isVersion(object)) {
      return invalid(replyId, "\"jsonrpc\" must be \"2.0\", got " + Json.brief(object.get("jsonrpc")));
    }
    if (object.has("method")) {
      return readCall(object, id, replyId);
    }
    if (callsOnly) {
      return invalid(replyId, "\"method\" is missing");
    }
    return readResponse(object, replyId);
  }

  private static Entry readCall(JsonObject object, JsonElement id, JsonElement replyId) {
    JsonElement method = object.get("method");
    if (!(method instanceof JsonPrimitive p && p.isString())) {
      return invalid(replyId, "\"method\" must be a string, got " + Json.brief(method));
    }
    JsonElement params = object.get("params");
    if (params != null && !params.isJsonObject() && !params.isJsonArray()) {
      return invalid(replyId, "\"params\" must be an object or an array, got " + Json.brief(params));
    }
    String name = method.getAsString();
    RpcMessage message = id == null ? new Notification(name, params) : new Request(id, name, params);
    return new Entry.Valid(message);
  }

  private static Entry readResponse(JsonObject object, JsonElement replyId) {
    boolean hasResult = object.has("result");
    JsonElement error = object.get("error");
    if (hasResult == (error != null) || !object.has("id")) {
      return invalid(replyId, "a response needs an id and exactly one of result and error");
    }
    if (hasResult) {
      return new Entry.Valid(Response.success(replyId, object.get("result")));
    }
    if (error instanceof JsonObject e
        && e.get("code") instanceof JsonPrimitive code
        && Json.isInteger(code)
        && e.get("message") instanceof JsonPrimitive message
        && message.isString()) {
      RpcError rpcError = new RpcError(code.getAsInt(), message.getAsString(), e.get("data"));
      return new Entry.Valid(Response.failure(replyId, rpcError));
    }
    return invalid(replyId, "error must be an object with an integer code and a string message");
  }

  private static Entry invalid(JsonElement id, String why) {
    return new Entry.Invalid(RpcCodec.invalid(id, why));
  }
}
