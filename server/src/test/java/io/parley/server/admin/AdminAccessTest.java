package io.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.http.MetricsAccess.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may use the operations page: loopback only without an admin token; the token (header or cookie) with one. */
class AdminAccessTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

  private static final String ADMIN = AdminEndpointsTest.ADMIN;

  @Test
  void withoutAnAdminTokenOnlyLoopbackClientsAreServedInEitherMode() {
    AdminAccess access = new AdminAccess(null, CLOCK);
    assertThat(access.tokenConfigured()).isFalse();
    assertThat(access.judge("127.0.0.1", null, List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("0:0:0:0:0:0:0:1", null, List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", null, List.of())).isEqualTo(Verdict.NOT_LOOPBACK);
    assertThat(access.judge("10.1.2.3", "Bearer " + ADMIN, List.of("anything"))).isEqualTo(Verdict.NOT_LOOPBACK);
  }

  @Test
  void withAnAdminTokenTheTokenOrTheLoginCookieIsNeededFromAnywhere() {
    AdminAccess access = new AdminAccess(ADMIN, CLOCK);
    String login = access.loginCookie(false);
    String cookie = login.substring((AdminAccess.COOKIE + "=").length(), login.indexOf(';'));
    assertThat(cookie).doesNotContain(ADMIN).matches("\\d+\\.[0-9a-f]{64}");
    assertThat(login).contains("HttpOnly", "SameSite=Strict", "Path=/admin", "Max-Age=43200").doesNotContain("Secure");
    assertThat(access.loginCookie(true)).endsWith("; Secure");
    assertThat(access.judge("127.0.0.1", null, List.of())).as("loopback is not enough").isEqualTo(Verdict.NO_TOKEN);
    assertThat(access.judge("10.1.2.3", "Bearer " + ADMIN, List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", "Bearer " + ADMIN + "x", List.of())).isEqualTo(Verdict.WRONG_TOKEN);
    assertThat(access.judge("10.1.2.3", null, List.of(cookie))).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", null, List.of("x", cookie))).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", null, List.of(cookie + "0"))).isEqualTo(Verdict.NO_TOKEN);
    String older = (Long.parseLong(cookie.substring(0, cookie.indexOf('.'))) - 1) + cookie.substring(cookie.indexOf('.'));
    assertThat(access.judge("10.1.2.3", null, List.of(older))).as("the time is signed too").isEqualTo(Verdict.NO_TOKEN);
    assertThat(new AdminAccess(ADMIN + "-other", CLOCK).judge("10.1.2.3", null, List.of(cookie)))
        .as("another token, another cookie").isEqualTo(Verdict.NO_TOKEN);
  }

  @Test
  void aLoginExpiresAfterTwelveHours() {
    String login = new AdminAccess(ADMIN, CLOCK).loginCookie(false);
    String cookie = login.substring((AdminAccess.COOKIE + "=").length(), login.indexOf(';'));
    Clock later = Clock.offset(CLOCK, Duration.ofHours(12).minusSeconds(1));
    assertThat(new AdminAccess(ADMIN, later).judge("10.1.2.3", null, List.of(cookie))).isEqualTo(Verdict.ALLOWED);
    Clock expired = Clock.offset(CLOCK, Duration.ofHours(12));
    assertThat(new AdminAccess(ADMIN, expired).judge("10.1.2.3", null, List.of(cookie))).isEqualTo(Verdict.NO_TOKEN);
  }
}
