/**
 * The Parley wire contract: JSON-RPC 2.0 envelope ({@link io.parley.protocol.RpcMessage}), the
 * strict {@link io.parley.protocol.RpcCodec}, typed method and notification descriptors
 * ({@link io.parley.protocol.Methods}, {@link io.parley.protocol.Notifications}), error and
 * close codes. Depends on Gson only; shared by server and client.
 */
package io.parley.protocol;
