/**
 * Issue #5's limits: the per-session token bucket, sessions per client address, and the
 * {@code parley.limits.tripped} counter every limit reports to.
 */
package io.parley.server.limits;
