package io.parley.server.cluster;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the NATS client's complaints to our log at a level that fits a reconnecting cluster. */
final class QuietErrors implements ErrorListener {
  private static final Logger LOG = LoggerFactory.getLogger(QuietErrors.class);

  @Override
  public void errorOccurred(Connection conn, String error) {
    LOG.warn("NATS error: {}", error);
  }

  @Override
  public void exceptionOccurred(Connection conn, Exception exp) {
    LOG.debug("NATS connection problem: {}", exp.toString());
  }
}
