package io.parley.sql;

/**
 * Thrown when the database fails: it cannot be reached, a statement fails, or the schema cannot
 * be migrated. The message says which store and which operation; the cause holds the driver's
 * exception. A failed {@link MessageStore#append append} stored nothing, so a caller may retry
 * it (with the same client ids, the retry cannot store a message twice).
 */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
