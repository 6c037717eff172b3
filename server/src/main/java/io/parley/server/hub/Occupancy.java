package io.parley.server.hub;

/**
 * Who wants to hear when a room gets its first member on this node and loses its last (the
 * webhook events {@code room.occupied} / {@code room.vacated} are built on it). The {@link Hub}
 * calls it inside the room's {@code compute}, so a room's calls come in order and alternate
 * (occupied, vacated, occupied, ...); an implementation must therefore only take note and return,
 * without blocking and without calling back into the hub.
 */
public interface Occupancy {

  /** Hears nothing: webhooks are off. */
  Occupancy NONE = new Occupancy() {
    @Override
    public void occupied(String room) {}

    @Override
    public void vacated(String room) {}
  };

  /** The room's first member on this node joined. */
  void occupied(String room);

  /** The room's last member on this node left (or departed with its session). */
  void vacated(String room);
}
