package io.parley.cli;

/** The command line is wrong: exit code 2, one line on stderr, then the usage hint. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
