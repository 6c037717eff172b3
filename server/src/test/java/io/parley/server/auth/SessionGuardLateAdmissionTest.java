package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.protocol.CloseCodes;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.Transport;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An admission that completes after its session closed (a connect proxy's answer on {@code
 * parley-backend-N}; review of #18, item 5) admits nothing and leaves no timer behind: before,
 * it scheduled the expiry timer anew, which kept the closed session until its expiry.
 */
@Timeout(30)
class SessionGuardLateAdmissionTest {

  @Test
  void anAdmissionAfterTheSessionClosedIsRefusedAndSchedulesNothing() {
    try (SessionGuard guard = new SessionGuard(TokenVerifier.refusingAll("no tokens here", Clock.systemUTC(), () -> { }),
        Duration.ofSeconds(10), Clock.systemUTC())) {
      ClientSession session = new ClientSession("s1", "anon", new Silent(), 1 << 20);
      guard.opened(session, null); // locked, with its deadline
      assertThat(guard.pendingTimers()).isEqualTo(1);
      session.close(CloseCodes.NORMAL, "bye");
      guard.closed(session);
      assertThat(guard.pendingTimers()).isZero();

      Identity late = new Identity("ann", null, Instant.now().plusSeconds(3_600), false);
      assertThatThrownBy(() -> guard.admit(session, late)).isInstanceOfSatisfying(RpcException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAVAILABLE));
      assertThat(session.isAuthenticated()).isFalse();
      assertThat(guard.pendingTimers()).isZero();

      // And a timer set on a closed session by any other path is cancelled at once.
      java.util.concurrent.CompletableFuture<Void> timer = new java.util.concurrent.CompletableFuture<>();
      session.replaceTimer(timer);
      assertThat(timer).isCancelled();
    }
  }

  private static final class Silent implements Transport {
    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      done.sent();
    }

    @Override
    public void close(int code, String reason) {}
  }
}
