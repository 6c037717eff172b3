package io.parley.protocol;

/**
 * One JSON-RPC 2.0 message. Params and results stay raw JSON ({@link com.google.gson.JsonElement})
 * until the method is known; ids keep the exact JSON token they arrived with so they are echoed
 * unchanged.
 */
public sealed interface RpcMessage permits Request, Notification, Response {}
