package io.parley.server.hub;

import io.parley.protocol.types.Change;

/**
 * A committed change on its way to the members (contract 1.1 {@code chat.change}).
 *
 * @param change the change as it travels
 * @param to in a direct conversation ({@code dm.} room), the participant other than {@code
 *     change.user()}: both get it without a join, like the conversation's messages; else {@code null}
 */
public record RoomChange(Change change, String to) {

  public String room() {
    return change.room();
  }

  public long rev() {
    return change.rev();
  }
}
