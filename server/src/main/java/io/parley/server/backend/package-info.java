/**
 * The application's backend in the loop (issue #18, contract 1.1 "Application backend"): the
 * connect proxy ({@link io.parley.server.backend.ConnectProxy}, admits sessions on {@code
 * session.hello}) and the publish proxy ({@link io.parley.server.backend.PublishProxy}, allows,
 * rewrites or refuses each send before it is stored), both over one {@link
 * io.parley.server.backend.BackendClient} that bounds and times the calls. {@link
 * io.parley.server.backend.Backend} builds them from the configuration. Webhooks are in {@code
 * io.parley.server.webhooks}.
 */
package io.parley.server.backend;
