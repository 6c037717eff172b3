package io.parley.sql;

import java.util.Objects;

/**
 * A change a user asks for (contract 1.1 {@code chat.edit}, {@code chat.delete}, {@code chat.react}),
 * with the rules the store applies in the change's transaction.
 *
 * @param room the message's room
 * @param seq the message
 * @param user who asks
 * @param kind what to do
 * @param text an edit's new text, else {@code null}
 * @param emoji a reaction's emoji, else {@code null}
 * @param on a reaction: add ({@code true}) or take back
 * @param mayDeleteAny whether the user may delete messages of others (an administrator)
 * @param maxEdits how many edits a message may have in all
 * @param maxEmoji how many distinct emoji a message's reactions may hold
 */
public record ChangeRequest(String room, long seq, String user, ChangeKind kind, String text, String emoji,
    boolean on, boolean mayDeleteAny, int maxEdits, int maxEmoji) {

  public ChangeRequest {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(kind, "kind");
    if (kind == ChangeKind.EDIT) {
      Objects.requireNonNull(text, "an edit's text");
    }
    if (kind == ChangeKind.REACT) {
      Objects.requireNonNull(emoji, "a reaction's emoji");
    }
  }

  public static ChangeRequest edit(String room, long seq, String user, String text, int maxEdits) {
    return new ChangeRequest(room, seq, user, ChangeKind.EDIT, text, null, false, false, maxEdits, 0);
  }

  public static ChangeRequest delete(String room, long seq, String user, boolean mayDeleteAny) {
    return new ChangeRequest(room, seq, user, ChangeKind.DELETE, null, null, false, mayDeleteAny, 0, 0);
  }

  public static ChangeRequest react(String room, long seq, String user, String emoji, boolean on, int maxEmoji) {
    return new ChangeRequest(room, seq, user, ChangeKind.REACT, null, emoji, on, false, 0, maxEmoji);
  }
}
