package io.parley.server.http;

import io.parley.server.rpc.CallContext;
import java.util.function.Function;
import org.eclipse.jetty.server.Request;

/**
 * The routes of sessions that plain HTTP hands on: the transports live elsewhere.
 *
 * @param events {@code GET /events}, which opens an event-stream session
 * @param upgradeProbe a plain {@code GET /ws} (no upgrade): answers how an upgrade would be
 *     answered, so a client whose upgrade failed can tell a refusal from a network that blocks upgrades
 * @param streamCalls the call context of the event-stream session a {@code Parley-Session} header
 *     names, or {@code null} when none is open under that id
 */
public record SessionRoutes(Request.Handler events, Request.Handler upgradeProbe,
    Function<String, CallContext> streamCalls) {}
