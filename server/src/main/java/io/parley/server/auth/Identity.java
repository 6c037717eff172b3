package io.parley.server.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a verified token says the caller is.
 *
 * @param user the token's {@code sub}, a valid user name
 * @param rooms the rooms the token allows (its {@code rooms} claim), or {@code null} for any room
 * @param expiresAt the token's {@code exp}, or {@code null} when it has none
 * @param mayBroadcast true if the token has {@code "broadcast": true} or {@code "admin": true}:
 *     a {@code broadcast} reaches every session of the node, so it needs a claim of its own
 * @param admin true if the token has {@code "admin": true}: may also delete others' messages
 *     (contract 1.1 {@code chat.delete})
 */
public record Identity(String user, Set<String> rooms, Instant expiresAt, boolean mayBroadcast, boolean admin) {

  public Identity {
    rooms = rooms == null ? null : Set.copyOf(rooms);
  }

  /** An identity without the administrator's rights. */
  public Identity(String user, Set<String> rooms, Instant expiresAt, boolean mayBroadcast) {
    this(user, rooms, expiresAt, mayBroadcast, false);
  }

  /** True if the token lets its holder join or post to {@code room}. */
  public boolean allows(String room) {
    return rooms == null || rooms.contains(room);
  }
}
