package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.auth.Tokens;
import io.parley.server.config.ConfigException;
import io.parley.server.config.ConfigParser;
import io.parley.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /metrics} in token mode: the admin token, or loopback clients only when there is none. */
@Timeout(30)
class MetricsAccessTest {
  private static final String ADMIN = "an-admin-token-that-is-long-enough-0123456789";

  @Test
  void theDecision() {
    MetricsAccess open = MetricsAccess.of(false, null);
    assertThat(open.judge("10.1.2.3", null)).isEqualTo(MetricsAccess.Verdict.ALLOWED);

    MetricsAccess loopbackOnly = MetricsAccess.of(true, null);
    assertThat(loopbackOnly.judge("127.0.0.1", null)).isEqualTo(MetricsAccess.Verdict.ALLOWED);
    assertThat(loopbackOnly.judge("127.0.0.2", null)).isEqualTo(MetricsAccess.Verdict.ALLOWED);
    assertThat(loopbackOnly.judge("0:0:0:0:0:0:0:1", null)).isEqualTo(MetricsAccess.Verdict.ALLOWED);
    assertThat(loopbackOnly.judge("10.1.2.3", "Bearer " + ADMIN)).isEqualTo(MetricsAccess.Verdict.NOT_LOOPBACK);
    assertThat(loopbackOnly.judge("192.168.0.9", null)).isEqualTo(MetricsAccess.Verdict.NOT_LOOPBACK);

    MetricsAccess guarded = MetricsAccess.of(true, ADMIN);
    assertThat(guarded.judge("127.0.0.1", null)).as("loopback is not enough once a token is set")
        .isEqualTo(MetricsAccess.Verdict.NO_TOKEN);
    assertThat(guarded.judge("10.1.2.3", "Basic " + ADMIN)).isEqualTo(MetricsAccess.Verdict.NO_TOKEN);
    assertThat(guarded.judge("10.1.2.3", "Bearer " + ADMIN + "x")).isEqualTo(MetricsAccess.Verdict.WRONG_TOKEN);
    assertThat(guarded.judge("10.1.2.3", "Bearer ")).isEqualTo(MetricsAccess.Verdict.WRONG_TOKEN);
    assertThat(guarded.judge("10.1.2.3", "Bearer " + ADMIN)).isEqualTo(MetricsAccess.Verdict.ALLOWED);
    assertThat(guarded.judge("10.1.2.3", "bearer  " + ADMIN + " ")).isEqualTo(MetricsAccess.Verdict.ALLOWED);
  }

  @Test
  void aTokenModeServerWithAnAdminTokenServesMetricsToItsHolderOnly() {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.toBuilder().jwtSecret(Tokens.SECRET).adminToken(ADMIN).build())) {
      HttpResponse<String> none = server.get("/metrics");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"parley-admin\"");
      assertThat(none.body()).contains("\"status\":401").contains("PARLEY_ADMIN_TOKEN").doesNotContain("parley_");

      HttpResponse<String> userToken = server.send(metrics(server, "Bearer " + Tokens.withFlag("alice", "admin", true)));
      assertThat(userToken.statusCode()).as("a user's JWT, even with admin: true, is not the admin token").isEqualTo(401);

      HttpResponse<String> admin = server.send(metrics(server, "Bearer " + ADMIN));
      assertThat(admin.statusCode()).isEqualTo(200);
      assertThat(admin.body()).contains("parley_sessions");
      assertThat(server.server().config().summary()).contains("adminToken=set").doesNotContain(ADMIN);
    }
  }

  @Test
  void aTokenModeServerWithoutOneServesLoopbackClientsAndAnOpenServerEveryone() {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.toBuilder().jwtSecret(Tokens.SECRET).build())) {
      assertThat(server.get("/metrics").statusCode()).isEqualTo(200); // the test client is on loopback
    }
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED)) {
      assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aShortAdminTokenStopsTheStart() throws ConfigException {
    Assertions.assertThatThrownBy(() -> ConfigParser.parse(new String[] {"--admin-token", "short"}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLEY_ADMIN_TOKEN: expected at least 32 bytes, got 5");
    assertThat(ConfigParser.parse(new String[] {}, Map.of("PARLEY_ADMIN_TOKEN", ADMIN)).adminToken()).isEqualTo(ADMIN);
  }

  private static HttpRequest metrics(TestServer server, String authorization) {
    return HttpRequest.newBuilder(server.httpUri("/metrics")).header("Authorization", authorization).GET().build();
  }
}
