package io.parley.server.ws;

import java.util.function.Consumer;

/**
 * What the layers above want to hear about a session's life.
 *
 * @param opened runs with the new session before it is registered and before its first frame is
 *     read (token mode locks or authenticates it there)
 * @param departed runs once when the server is done with the session: it closes it (1013, 1008,
 *     1001, a ping timeout) or the connection ended, whichever comes first. The session leaves its
 *     rooms here, without waiting for a closing handshake a non-reading peer may never finish
 * @param closed runs once the connection is closed and the session unregistered
 */
public record SessionHooks(Consumer<ClientSession> opened, Consumer<ClientSession> departed,
    Consumer<ClientSession> closed) {}
