/**
 * The operations page at {@code /admin}: a sampler that turns the node's meters into one sample a
 * second (kept for 15 minutes), the figures of the other nodes heard over the cluster, and the
 * page's HTTP endpoints (snapshot, per-second stream, disconnecting a session) behind the admin
 * access rules. Reads what the other layers count; changes nothing but the sessions an operator
 * disconnects.
 */
package io.parley.server.admin;
