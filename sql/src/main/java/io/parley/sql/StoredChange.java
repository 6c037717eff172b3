package io.parley.sql;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored change to a message (contract 1.1), numbered per room by {@code rev}.
 *
 * @param room the message's room
 * @param rev the room's change counter for this change: from 1, gap-free, never reused
 * @param seq the message changed
 * @param kind what was done
 * @param user who did it
 * @param ts when it was stored, truncated to milliseconds
 * @param text an edit's new text ({@code ""} once the message was deleted); otherwise {@code null}
 * @param emoji a reaction's emoji; otherwise {@code null}
 * @param on a reaction: added ({@code true}) or taken back; otherwise {@code null}
 */
public record StoredChange(String room, long rev, long seq, ChangeKind kind, String user, Instant ts, String text,
    String emoji, Boolean on) {

  public StoredChange {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(ts, "ts");
  }
}
