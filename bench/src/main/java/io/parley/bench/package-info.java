/**
 * The benchmark tool: a cheap NIO WebSocket client on one event-loop thread ({@link
 * io.parley.bench.WsConnection}, {@link io.parley.bench.EventLoop}) and the scenarios it drives
 * ({@link io.parley.bench.EchoScenario}, {@link io.parley.bench.FanoutScenario},
 * {@link io.parley.bench.ConnectScenario}, {@link io.parley.bench.PersistScenario}) against any server
 * speaking the Parley wire protocol or the peers' simplified one (method names are templates).
 */
package io.parley.bench;
