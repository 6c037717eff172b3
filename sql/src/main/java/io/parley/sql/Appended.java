package io.parley.sql;

import java.util.Objects;

/**
 * The result of appending one {@link NewMessage}.
 *
 * @param message the stored message: the new one, or for a duplicate the one stored first
 * @param duplicate true if the message repeated an earlier client id of the same sender in the
 *     same room, in which case nothing new was stored
 */
public record Appended(StoredMessage message, boolean duplicate) {

  public Appended {
    Objects.requireNonNull(message, "message");
  }
}
