package io.parley.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Tokens for the token-mode tests: valid ones and each kind the server must refuse. */
public final class Tokens {
  public static final String SECRET = "test-secret-that-is-long-enough-for-hs256!";
  static final String OTHER_SECRET = "another-secret-that-is-long-enough-for-hs256";

  private Tokens() {}

  /** A valid token for {@code user}, expiring in an hour, for any room. */
  public static String valid(String user) {
    return builder(user, Duration.ofHours(1)).sign(Algorithm.HMAC256(SECRET));
  }

  /** A valid token for {@code user} that allows only {@code rooms}. */
  public static String forRooms(String user, String... rooms) {
    return builder(user, Duration.ofHours(1)).withArrayClaim("rooms", rooms).sign(Algorithm.HMAC256(SECRET));
  }

  /** A valid token for {@code user} with the boolean claim {@code claim} ({@code broadcast} or {@code admin}). */
  public static String withFlag(String user, String claim, boolean value) {
    return builder(user, Duration.ofHours(1)).withClaim(claim, value).sign(Algorithm.HMAC256(SECRET));
  }

  /** A valid token for {@code user} that allows {@code broadcast}. */
  public static String broadcaster(String user) {
    return withFlag(user, "broadcast", true);
  }

  /** A valid token for {@code user} that expires {@code in} from now. */
  public static String expiringIn(String user, Duration in) {
    return builder(user, in).sign(Algorithm.HMAC256(SECRET));
  }

  /** Expired a minute ago, well past the leeway. */
  public static String expired(String user) {
    return builder(user, Duration.ofMinutes(-1)).sign(Algorithm.HMAC256(SECRET));
  }

  /** Valid only from a minute from now. */
  public static String notYetValid(String user) {
    return builder(user, Duration.ofHours(1)).withNotBefore(Instant.now().plusSeconds(60))
        .sign(Algorithm.HMAC256(SECRET));
  }

  public static String wronglySigned(String user) {
    return builder(user, Duration.ofHours(1)).sign(Algorithm.HMAC256(OTHER_SECRET));
  }

  /** An unsigned token, {@code "alg": "none"}. */
  public static String algNone(String user) {
    return builder(user, Duration.ofHours(1)).sign(Algorithm.none());
  }

  /** HS512 with the right secret: still refused, only HS256 is accepted. */
  public static String hs512(String user) {
    return builder(user, Duration.ofHours(1)).sign(Algorithm.HMAC512(SECRET));
  }

  /** A string that is not a JWT at all, and one with three parts of garbage. */
  public static String malformed() {
    String junk = Base64.getUrlEncoder().withoutPadding().encodeToString("{not json".getBytes(StandardCharsets.UTF_8));
    return junk + "." + junk + ".c2ln";
  }

  private static JWTCreator.Builder builder(String user, Duration expiresIn) {
    return JWT.create().withSubject(user).withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plus(expiresIn));
  }
}
