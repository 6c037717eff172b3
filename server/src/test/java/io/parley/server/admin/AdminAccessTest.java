package io.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.http.MetricsAccess.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may use the operations page: loopback only without an admin token; the token (header or cookie) with one. */
class AdminAccessTest {
  private static final String ADMIN = AdminEndpointsTest.ADMIN;

  @Test
  void withoutAnAdminTokenOnlyLoopbackClientsAreServedInEitherMode() {
    AdminAccess access = new AdminAccess(null);
    assertThat(access.tokenConfigured()).isFalse();
    assertThat(access.judge("127.0.0.1", null, List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("0:0:0:0:0:0:0:1", null, List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", null, List.of())).isEqualTo(Verdict.NOT_LOOPBACK);
    assertThat(access.judge("10.1.2.3", "Bearer " + ADMIN, List.of("anything"))).isEqualTo(Verdict.NOT_LOOPBACK);
  }

  @Test
  void withAnAdminTokenTheTokenOrTheLoginCookieIsNeededFromAnywhere() {
    AdminAccess access = new AdminAccess(ADMIN);
    String login = access.loginCookie();
    String cookie = login.substring((AdminAccess.COOKIE + "=").length(), login.indexOf(';'));
    assertThat(cookie).doesNotContain(ADMIN).hasSize(64);
    assertThat(login).contains("HttpOnly", "SameSite=Strict", "Path=/admin");
    assertThat(access.judge("127.0.0.1", null, List.of())).as("loopback is not enough").isEqualTo(Verdict.NO_TOKEN);
    assertThat(access.judge("10.1.2.3", "Bearer " + ADMIN, List.of())).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", "Bearer " + ADMIN + "x", List.of())).isEqualTo(Verdict.WRONG_TOKEN);
    assertThat(access.judge("10.1.2.3", null, List.of(cookie))).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", null, List.of("x", cookie))).isEqualTo(Verdict.ALLOWED);
    assertThat(access.judge("10.1.2.3", null, List.of(cookie + "0"))).isEqualTo(Verdict.NO_TOKEN);
    assertThat(new AdminAccess(ADMIN + "-other").loginCookie()).as("another token, another cookie").isNotEqualTo(login);
  }
}
