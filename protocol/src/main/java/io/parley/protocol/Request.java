package io.parley.protocol;

import com.google.gson.JsonElement;

/**
 * A call that expects a response.
 *
 * @param id a JSON string, number or null, kept as the exact token that arrived
 * @param method the method name
 * @param params an object or array, or {@code null} when the member was absent
 */
public record Request(JsonElement id, String method, JsonElement params) implements RpcMessage {}
