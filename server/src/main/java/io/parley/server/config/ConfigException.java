package io.parley.server.config;

/** Bad configuration: the message is the one line an operator sees before the process exits. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
