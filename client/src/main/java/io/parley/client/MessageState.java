package io.parley.client;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a {@code chat.change} (contract 1.1) to a {@link Message}, for an application that keeps
 * its own copies of messages (of direct conversations, say); {@link JoinedRoom#message} already
 * shows a joined room's messages with their changes applied.
 *
 * <p>Applying is idempotent, because recovery can show a change twice: a message from a join's
 * {@code missed} or from history may already include a change that then also arrives. An edit sets
 * the text and {@code edited}; a deletion is final (text {@code ""}, no reactions, later edits and
 * reactions ignored); a reaction adds the user at the end of the emoji's users if absent, or
 * removes them (and the emoji once nobody is left). Applying a change again, or the changes of a
 * run again over a state that already has them, ends in the same state as the server's. Only the
 * order of the emoji keys may differ from the server's (it orders them by their oldest reaction);
 * the users of each emoji are in the server's order.
 */
public final class MessageState {
  private MessageState() {}

  /**
   * {@code message} with {@code change} applied; {@code message} itself when the change is for
   * another message, of an unknown kind (a newer server), or the message was deleted.
   */
  public static Message apply(Message message, Change change) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(change, "change");
    if (!message.room().equals(change.room()) || message.seq() != change.seq() || message.isDeleted()) {
      return message;
    }
    return switch (change.kind()) {
      case Change.EDIT -> change.text() == null ? message : new Message(message.room(), message.seq(), message.from(),
          change.text(), message.ts(), message.clientId(), message.to(), change.ts(), null, message.reactions());
      case Change.DELETE -> new Message(message.room(), message.seq(), message.from(), "", message.ts(),
          message.clientId(), message.to(), message.edited(), true, null);
      case Change.REACT -> react(message, change);
      default -> message;
    };
  }

  private static Message react(Message message, Change change) {
    if (change.emoji() == null || change.on() == null) {
      return message;
    }
    Map<String, List<String>> reactions = new LinkedHashMap<>();
    if (message.reactions() != null) {
      message.reactions().forEach((emoji, users) -> reactions.put(emoji, new ArrayList<>(users)));
    }
    List<String> users = reactions.computeIfAbsent(change.emoji(), e -> new ArrayList<>());
    boolean present = users.contains(change.user());
    if (present == change.on()) {
      return message;
    }
    if (change.on()) {
      users.add(change.user());
    } else {
      users.remove(change.user());
      if (users.isEmpty()) {
        reactions.remove(change.emoji());
      }
    }
    return new Message(message.room(), message.seq(), message.from(), message.text(), message.ts(),
        message.clientId(), message.to(), message.edited(), message.deleted(), reactions);
  }
}
