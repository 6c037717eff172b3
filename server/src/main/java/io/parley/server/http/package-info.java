/**
 * The plain HTTP side: health, readiness, metrics, JSON-RPC over HTTP and the REST message routes,
 * and what guards every request before them: the {@code Host} allow-list ({@link
 * io.parley.server.http.HostGuard}), the client address behind trusted proxies ({@link
 * io.parley.server.http.ForwardedClient}), the per-address rate limit, request bodies read without
 * holding a thread within a deadline ({@link io.parley.server.http.BodyReader}), and Jetty's own
 * error answers in the contract's JSON shape.
 */
package io.parley.server.http;
