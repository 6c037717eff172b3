package io.parley.sql;

import java.util.List;

/**
 * A page of a room's change log.
 *
 * @param changes ascending by rev, without gaps
 * @param truncated true if the byte budget cut the page: changes within the asked bounds remain
 */
public record ChangePage(List<StoredChange> changes, boolean truncated) {

  public ChangePage {
    changes = List.copyOf(changes);
  }
}
