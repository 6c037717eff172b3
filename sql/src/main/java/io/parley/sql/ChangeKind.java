package io.parley.sql;

/** What a change does to a message; {@link #stored()} is how the change log and the wire name it. */
public enum ChangeKind {
  EDIT("edit"),
  DELETE("delete"),
  REACT("react");

  private final String stored;

  ChangeKind(String stored) {
    this.stored = stored;
  }

  public String stored() {
    return stored;
  }

  public static ChangeKind ofStored(String stored) {
    for (ChangeKind kind : values()) {
      if (kind.stored.equals(stored)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("no change kind is stored as " + stored);
  }
}
