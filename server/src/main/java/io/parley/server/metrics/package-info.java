/**
 * The node's metrics as a whole: the Prometheus registry and the meters that belong to no one
 * layer (JVM, uptime, build info, Jetty's pool and connections, HikariCP's pools), and the latency
 * buckets every timer with a histogram shares. Each layer registers its own meters; {@code
 * docs/operations.md} lists them all.
 */
package io.parley.server.metrics;
