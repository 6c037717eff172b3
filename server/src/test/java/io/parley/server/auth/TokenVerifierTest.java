package io.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The verifier alone, no socket: what it accepts, and every kind of token it refuses with -32001. */
@Timeout(10)
class TokenVerifierTest {
  private final TokenVerifier verifier = new TokenVerifier(Tokens.SECRET, Clock.systemUTC());

  @Test
  void aValidTokenGivesItsSubAndExpiry() {
    Identity identity = verifier.verify(Tokens.valid("alice"));
    assertThat(identity.user()).isEqualTo("alice");
    assertThat(identity.rooms()).isNull();
    assertThat(identity.expiresAt()).isAfter(Instant.now());
    assertThat(identity.allows("anything")).isTrue();
    assertThat(identity.mayBroadcast()).as("no broadcast claim").isFalse();
  }

  @Test
  void theBroadcastOrAdminClaimAllowsBroadcast() {
    assertThat(verifier.verify(Tokens.withFlag("a", "broadcast", true)).mayBroadcast()).isTrue();
    assertThat(verifier.verify(Tokens.withFlag("a", "admin", true)).mayBroadcast()).isTrue();
    assertThat(verifier.verify(Tokens.withFlag("a", "broadcast", false)).mayBroadcast()).isFalse();
    assertThat(verifier.verify(Tokens.withFlag("a", "admin", false)).mayBroadcast()).isFalse();
  }

  @Test
  void theRoomsClaimLimitsTheRooms() {
    Identity identity = verifier.verify(Tokens.forRooms("bob", "a", "b"));
    assertThat(identity.rooms()).isEqualTo(Set.of("a", "b"));
    assertThat(identity.allows("a")).isTrue();
    assertThat(identity.allows("c")).isFalse();
  }

  @Test
  void refusesEveryBadToken() {
    assertRefused(null, "required");
    assertRefused("", "required");
    assertRefused("not-a-jwt", "well-formed");
    assertRefused(Tokens.malformed(), "well-formed");
    assertRefused(Tokens.expired("alice"), "expired");
    assertRefused(Tokens.notYetValid("alice"), "not valid yet");
    assertRefused(Tokens.wronglySigned("alice"), "signature");
    assertRefused(Tokens.algNone("alice"), "HS256");
    assertRefused(Tokens.hs512("alice"), "HS256");
  }

  @Test
  void refusesABadSubOrRoomsClaim() {
    Algorithm hs256 = Algorithm.HMAC256(Tokens.SECRET);
    Instant exp = Instant.now().plusSeconds(600);
    assertRefused(JWT.create().withExpiresAt(exp).sign(hs256), "sub");
    assertRefused(JWT.create().withSubject("x".repeat(33)).withExpiresAt(exp).sign(hs256), "sub");
    assertRefused(JWT.create().withSubject("a\u0007b").withExpiresAt(exp).sign(hs256), "sub");
    assertRefused(JWT.create().withSubject("alice").withClaim("rooms", "lobby").withExpiresAt(exp).sign(hs256),
        "rooms");
    assertRefused(JWT.create().withSubject("alice").withArrayClaim("rooms", new String[] {"no spaces"})
        .withExpiresAt(exp).sign(hs256), "rooms");
    assertRefused(JWT.create().withSubject("admin\u202enimda").withExpiresAt(exp).sign(hs256), "sub");
    assertRefused(JWT.create().withSubject("alice").withClaim("broadcast", "yes").withExpiresAt(exp).sign(hs256),
        "the token's broadcast claim must be true or false");
    assertRefused(JWT.create().withSubject("alice").withClaim("admin", 1).withExpiresAt(exp).sign(hs256),
        "the token's admin claim must be true or false");
  }

  @Test
  void toleratesFiveSecondsOfClockSkew() {
    Clock late = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3));
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30));
    String token = Tokens.expiringIn("alice", Duration.ofSeconds(1));
    assertThat(new TokenVerifier(Tokens.SECRET, late).verify(token).user()).isEqualTo("alice");
    assertThatThrownBy(() -> new TokenVerifier(Tokens.SECRET, later).verify(token))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
  }

  @Test
  void neverQuotesTheToken() {
    String token = Tokens.wronglySigned("alice");
    assertThatThrownBy(() -> verifier.verify(token)).satisfies(e -> assertThat(e.getMessage())
        .doesNotContain(token).doesNotContain(token.split("\\.")[1]).doesNotContain("alice"));
  }

  private void assertRefused(String token, String why) {
    assertThatThrownBy(() -> verifier.verify(token))
        .as("token %s", token)
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
          assertThat(e.getMessage()).contains(why);
        });
  }
}
