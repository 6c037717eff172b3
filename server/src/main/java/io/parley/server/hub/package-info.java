/**
 * The delivery core, the same on one node and many. The message path: {@code chat.MessageMethods}
 * (a send) -> {@code chat.GroupCommitter} (commit) -> {@link io.parley.server.hub.Broker#publish}
 * -> {@link io.parley.server.hub.Hub} (delivery rounds, encode once, fan-out over cores) ->
 * {@link io.parley.server.ws.RoomFeed} (a session's place in a room). On one node the broker is
 * {@link io.parley.server.hub.LocalBroker}, a direct hand-over; in a cluster it is
 * {@code cluster.NatsBroker}, which puts every room's messages, local and remote, back into seq
 * order before they enter the same hub. See {@code server/CONCURRENCY.md} for the threads.
 */
package io.parley.server.hub;
