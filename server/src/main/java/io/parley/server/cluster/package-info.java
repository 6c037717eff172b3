/**
 * Scale-out: the NATS broker that carries committed messages, presence and broadcasts between
 * nodes, and the per-room sequencing that keeps delivery in seq order with the store as the
 * source of truth.
 */
package io.parley.server.cluster;
