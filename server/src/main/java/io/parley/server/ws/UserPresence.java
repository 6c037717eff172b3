package io.parley.server.ws;

/**
 * Who wants to hear when a user gets their first counted session on this node and loses their last
 * (the webhook events {@code user.online} / {@code user.offline} are built on it). A session counts
 * for its user while it is registered and authenticated and its user is not the made-up guest name
 * of a session that never said who it is ({@link SessionFactory#isGuestName}); a session renamed by
 * {@code session.hello} moves from its old user to its new one. The {@link SessionRegistry} calls it
 * under its own lock, so a user's calls come in order and alternate; an implementation must only
 * take note and return, without blocking and without calling back into the registry.
 */
public interface UserPresence {

  /** Hears nothing: webhooks are off. */
  UserPresence NONE = new UserPresence() {
    @Override
    public void online(String user) {}

    @Override
    public void offline(String user) {}
  };

  /** The user's first counted session on this node. */
  void online(String user);

  /** The user's last counted session on this node ended (or was renamed). */
  void offline(String user);
}
