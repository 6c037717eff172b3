package io.parley.client;

/**
 * A listener registration; {@link #close()} removes the listener. Idempotent and thread-safe;
 * after it returns, no new event starts for that listener (one already running may finish).
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  @Override
  void close();
}
