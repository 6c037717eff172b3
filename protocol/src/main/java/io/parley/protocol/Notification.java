package io.parley.protocol;

import com.google.gson.JsonElement;

/**
 * A call with no id: nobody answers it.
 *
 * @param method the method name
 * @param params an object or array, or {@code null} when the member was absent
 */
public record Notification(String method, JsonElement params) implements RpcMessage {}
