package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Reading a JWT's {@code exp} without verifying it, and when to ask for the next token. */
class TokenSourceTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
  }

  @Test
  void theExpOfAJwtIsReadFromItsPayload() {
    assertThat(TokenSource.expiry(jwt("{\"sub\":\"ann\",\"exp\":1767225600}")))
        .contains(Instant.ofEpochSecond(1767225600));
  }

  @Test
  void noExpOrNoJwtMeansNoRenewal() {
    assertThat(TokenSource.expiry(jwt("{\"sub\":\"ann\"}"))).isEmpty();
    assertThat(TokenSource.expiry(jwt("{\"exp\":\"tomorrow\"}"))).isEmpty();
    assertThat(TokenSource.expiry(jwt("[1,2]"))).isEmpty();
    assertThat(TokenSource.expiry(jwt("{not json"))).isEmpty();
    assertThat(TokenSource.expiry("not-a-jwt")).isEmpty();
    assertThat(TokenSource.expiry("a.%%%.c")).isEmpty();
    assertThat(TokenSource.expiry(null)).isEmpty();
  }

  @Test
  void shortTokensRenewAtHalfTheirTimeLongOnes30SecondsBefore() {
    assertThat(TokenSource.renewIn(NOW.plusSeconds(5), NOW)).isEqualTo(Duration.ofMillis(2500));
    assertThat(TokenSource.renewIn(NOW.plusSeconds(40), NOW)).isEqualTo(Duration.ofSeconds(20));
    assertThat(TokenSource.renewIn(NOW.plusSeconds(3600), NOW)).isEqualTo(Duration.ofSeconds(3570));
  }

  @Test
  void anAlmostOrAlreadyExpiredTokenIsRenewedNoSoonerThanASecondFromNow() {
    assertThat(TokenSource.renewIn(NOW.plusMillis(1500), NOW)).isEqualTo(Duration.ofSeconds(1));
    assertThat(TokenSource.renewIn(NOW.minusSeconds(10), NOW)).isEqualTo(Duration.ofSeconds(1));
  }
}
