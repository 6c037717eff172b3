package io.parley.sql;

/**
 * What became of a {@link ChangeRequest}.
 *
 * @param status what happened
 * @param rev with {@link Status#CHANGED} the change's rev; otherwise the room's current rev
 * @param change the stored change with {@link Status#CHANGED}; otherwise {@code null}
 */
public record ChangeOutcome(Status status, long rev, StoredChange change) {

  public enum Status {
    /** Stored as {@link #change}. */
    CHANGED,
    /** Nothing to do (same text, deleted already, reaction already there or already gone); nothing stored. */
    UNCHANGED,
    /** The room has no message with that seq. */
    NO_SUCH_MESSAGE,
    /** Edits and deletions are for the author (and deletions for an administrator). */
    NOT_ALLOWED,
    /** The message was deleted: it can be neither edited nor reacted to. */
    DELETED,
    /** The message reached its bound of edits, or of distinct reaction emoji. */
    LIMIT_REACHED
  }

  public boolean changed() {
    return status == Status.CHANGED;
  }
}
