/**
 * Sessions, over a WebSocket (the Jetty endpoint at {@code /ws}) or an event stream ({@code GET
 * /events}, {@link io.parley.server.ws.EventStreams}): one {@link io.parley.server.ws.SessionFactory}
 * makes both kinds behind the {@link io.parley.server.ws.Transport} seam, with the per-session
 * bounded outbound queue and the registry of open sessions. See {@code server/CONCURRENCY.md} for the threading rules.
 */
package io.parley.server.ws;
