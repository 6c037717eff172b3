package io.parley.server.ws;

import io.parley.server.limits.TokenBucket;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes, registers and ends sessions for every transport, so a session over Server-Sent Events is
 * the same kind of session as one over a WebSocket: same call budget, same outbound bound, same
 * registry and the same hooks at the same points of its life. Thread-safe.
 */
public final class SessionFactory {
  /**
   * One generator per thread: the default {@link SecureRandom} on Linux (NativePRNG) serialises
   * every caller on one lock, and a crowd connecting at once queued there (two ids per session).
   * DRBG instances are seeded from the system's entropy when made, so ids stay unguessable.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SessionFactory::newRandom);
  private static final String GUEST_PREFIX = "guest-";
  private static final int GUEST_BYTES = 3;

  private final SessionRegistry sessions;
  private final long outboundLimit;
  private final Supplier<TokenBucket> buckets;
  private final Consumer<ClientSession> onOverflow;
  private final NodeBacklog node;

  /**
   * @param buckets makes a new session's call budget ({@code null} from it: unlimited)
   * @param onOverflow runs when a session's outbound queue overflows (a slow consumer)
   * @param node the node's unwritten bytes, shared by all its sessions
   */
  public SessionFactory(SessionRegistry sessions, long outboundLimit, Supplier<TokenBucket> buckets,
      Consumer<ClientSession> onOverflow, NodeBacklog node) {
    this.sessions = sessions;
    this.outboundLimit = outboundLimit;
    this.buckets = buckets;
    this.onOverflow = onOverflow;
    this.node = node;
  }

  /** A new session id of {@code bytes} random bytes, in hex. */
  static String randomId(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.get().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** A guest name for a session that has not said who it is. */
  public static String guestName() {
    return GUEST_PREFIX + randomId(GUEST_BYTES);
  }

  /** Whether {@code user} has the form of a made-up {@link #guestName()}. */
  public static boolean isGuestName(String user) {
    return user.length() == GUEST_PREFIX.length() + 2 * GUEST_BYTES && user.startsWith(GUEST_PREFIX)
        && user.substring(GUEST_PREFIX.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0
            && !Character.isUpperCase(c));
  }

  /**
   * Makes a session over {@code transport}, runs {@code hooks.opened()} and registers it. The
   * caller reads its first request only after this returns.
   */
  ClientSession open(String id, String user, Transport transport, SessionHooks hooks) {
    ClientSession[] made = new ClientSession[1];
    ClientSession session = new ClientSession(id, user, transport, outboundLimit, buckets.get(),
        () -> onOverflow.accept(made[0]), node);
    made[0] = session;
    session.onDepart(() -> hooks.departed().accept(session));
    hooks.opened().accept(session);
    sessions.add(session);
    return session;
  }

  /** The connection of {@code session} has ended with {@code code}: unregisters it and runs the hooks. */
  void ended(ClientSession session, SessionHooks hooks, int code, String reason) {
    session.closedWith(code, reason);
    session.outbound().shutdown(); // also drops the reads it still had queued
    sessions.remove(session);
    session.depart();
    hooks.closed().accept(session);
  }
}
