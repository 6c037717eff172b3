package io.parley.server.auth;

import io.parley.protocol.CloseCodes;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Notification;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import io.parley.protocol.JsonText;
import io.parley.server.ws.ClientSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps token-mode WebSocket sessions honest over time. A new session is locked and gets a
 * deadline ({@code authTimeout}, 10 s by default): not authenticated by then, it is closed with
 * 1008. Once a token authenticates it (by {@code session.hello} or a Bearer header on the upgrade),
 * the deadline is replaced by a timer at the token's {@code exp} plus the verifier's leeway, the
 * moment the verifier would start refusing it: then the session gets a {@code session.expired}
 * notification and is closed with 1008, unless a fresh token arrived in the meantime.
 *
 * <p>Thread-safe. Timers run on one daemon thread, {@code parley-auth-timer}; they only queue a
 * notification and start a close, never block. A timer that lost a race with a refresh sees the
 * session's newer expiry and does nothing. Tokens are never logged.
 */
public final class SessionGuard implements AutoCloseable {
  /** The notification a session gets when its token runs out. */
  public static final String EXPIRED = "session.expired";

  private static final Logger LOG = LoggerFactory.getLogger(SessionGuard.class);
  private static final long FLUSH_POLL_MS = 50;
  private static final int FLUSH_POLLS = 20;

  private final TokenVerifier verifier;
  private final Duration authTimeout;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor timers;

  public SessionGuard(TokenVerifier verifier, Duration authTimeout, Clock clock) {
    this.verifier = verifier;
    this.authTimeout = authTimeout;
    this.clock = clock;
    this.timers = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "parley-auth-timer");
      thread.setDaemon(true);
      return thread;
    });
    timers.setRemoveOnCancelPolicy(true);
  }

  /** The identity in a token; {@code -32001} if it is refused. */
  public Identity verify(String token) {
    return verifier.verify(token);
  }

  /** A new session: authenticated by {@code identity} (a Bearer upgrade), or locked until its deadline. */
  public void opened(ClientSession session, Identity identity) {
    if (identity != null) {
      authenticate(session, identity);
      return;
    }
    session.lock();
    session.replaceTimer(timers.schedule(() -> {
      if (!session.isAuthenticated()) {
        LOG.debug("{} did not authenticate within {}", session, authTimeout);
        session.close(CloseCodes.POLICY_VIOLATION, "not authenticated within " + authTimeout.toSeconds() + " s");
      }
    }, authTimeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * {@code session.hello} with a token: authenticates a new session, or refreshes a live one. A
   * refresh must be for the same user and allow every room the session is in ({@code -32002}
   * otherwise); a refused token ({@code -32001}) leaves the session as it was. Without a token,
   * an already authenticated session (say, by a Bearer upgrade) is simply told who it is.
   */
  public void hello(ClientSession session, String token) {
    if (token == null && session.isAuthenticated()) {
      return;
    }
    admit(session, verifier.verify(token));
  }

  /**
   * Authenticates {@code session} as {@code identity} (a verified token, or a connect proxy's
   * answer), or refreshes it: the same checks as a token refresh in {@link #hello}.
   */
  public void admit(ClientSession session, Identity identity) {
    // Under the session's admission lock, which a join holds from its room check to adding the
    // room: the checks below and the swap see every room the session is or will be in.
    synchronized (session.admissionLock()) {
      if (session.isDeparting()) {
        // A connect proxy's answer that came after the session closed: nothing to admit.
        throw new RpcException(ErrorCodes.UNAVAILABLE, "Unavailable: the session is closing");
      }
      if (session.isAuthenticated() && !identity.user().equals(session.user())) {
        throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: this session is \"" + session.user()
            + "\"; a refreshed token must have the same sub, got \"" + identity.user() + "\"");
      }
      for (String room : session.rooms()) {
        if (!identity.allows(room)) {
          throw new RpcException(ErrorCodes.FORBIDDEN,
              "Forbidden: the new token does not allow room \"" + room + "\"; leave it first");
        }
      }
      authenticate(session, identity);
    }
  }

  /** The session is gone: its timer too, and any timer a late admission would set. */
  public void closed(ClientSession session) {
    session.retireTimers();
  }

  /** Timers scheduled and not yet run or cancelled (tests). */
  int pendingTimers() {
    return timers.getQueue().size();
  }

  private void authenticate(ClientSession session, Identity identity) {
    session.authenticate(identity.user(), identity.rooms(), identity.expiresAt(), identity.mayBroadcast(),
        identity.admin());
    if (identity.expiresAt() == null) {
      session.replaceTimer(null);
      return;
    }
    scheduleExpiry(session, identity.expiresAt());
  }

  private void scheduleExpiry(ClientSession session, Instant expires) {
    Instant end = expires.plusSeconds(TokenVerifier.LEEWAY_SECONDS);
    long delay = Math.max(0, Duration.between(clock.instant(), end).toMillis() + 1);
    session.replaceTimer(timers.schedule(() -> guarded(session, () -> expireIfDue(session, expires)), delay,
        TimeUnit.MILLISECONDS));
  }

  /**
   * The timer for the token that expires at {@code expires}: nothing if a refresh replaced that
   * token, a new timer if it fired early (timers run on the monotonic clock, expiry is wall time).
   */
  private void expireIfDue(ClientSession session, Instant expires) {
    if (!expires.equals(session.expiresAt())) {
      return;
    }
    if (clock.instant().isBefore(expires.plusSeconds(TokenVerifier.LEEWAY_SECONDS))) {
      scheduleExpiry(session, expires);
      return;
    }
    LOG.debug("{}: token expired", session);
    session.notify(RpcCodec.encode(new Notification(EXPIRED, JsonText.object("reason", "token expired"))));
    closeWhenFlushed(session, FLUSH_POLLS);
  }

  /** Closes once the expiry notice is written (or after about a second), so it is not cut off. */
  private void closeWhenFlushed(ClientSession session, int pollsLeft) {
    if (session.outbound().isIdle() || pollsLeft == 0) {
      session.close(CloseCodes.POLICY_VIOLATION, "token expired");
      return;
    }
    timers.schedule(() -> closeWhenFlushed(session, pollsLeft - 1), FLUSH_POLL_MS, TimeUnit.MILLISECONDS);
  }

  /** Runs a timer's work; a failure is logged (a scheduled task's exception would vanish) and closes. */
  private static void guarded(ClientSession session, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.error("token timer failed for {}", session, e);
      session.close(CloseCodes.SERVER_ERROR, "server error");
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
