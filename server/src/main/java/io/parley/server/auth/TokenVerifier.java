package io.parley.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the HS256 JWTs of token mode with auth0's {@code java-jwt}: the header must say
 * {@code HS256} (so {@code alg: none} and every other algorithm are refused), the signature must
 * match the configured secret, {@code exp} and {@code nbf} must hold with {@value #LEEWAY_SECONDS}
 * seconds of leeway for clock skew, {@code sub} must be a valid user name, an optional
 * {@code rooms} claim must be an array of valid room names, and the optional {@code broadcast}
 * and {@code admin} claims must be booleans (either one true allows {@code broadcast}).
 *
 * <p>Failures are {@link RpcException}s with {@code -32001} and a message of our own: the library's
 * messages can quote the token's decoded parts, so they are never passed on nor logged.
 * Thread-safe and immutable.
 */
public final class TokenVerifier {
  /** Seconds of clock skew tolerated on {@code exp} and {@code nbf}. */
  public static final long LEEWAY_SECONDS = 5;
  /** The optional claim listing the rooms a token allows. */
  public static final String ROOMS_CLAIM = "rooms";
  /** The optional claim that allows {@code broadcast}. */
  public static final String BROADCAST_CLAIM = "broadcast";
  /** The optional claim of an administrator: allows {@code broadcast} too. */
  public static final String ADMIN_CLAIM = "admin";

  private final JWTVerifier verifier;
  private final Runnable onRefusal;
  /** Why every token is refused (a server that admits through its connect proxy only), or {@code null}. */
  private final String refusal;

  public TokenVerifier(String secret, Clock clock) {
    this(secret, clock, () -> { });
  }

  /** @param onRefusal runs each time a token is refused (the node counts authentication failures) */
  public TokenVerifier(String secret, Clock clock, Runnable onRefusal) {
    this(secret, clock, onRefusal, null);
  }

  private TokenVerifier(String secret, Clock clock, Runnable onRefusal, String refusal) {
    this.onRefusal = onRefusal;
    this.refusal = refusal;
    this.verifier = ((JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(secret))
        .acceptLeeway(LEEWAY_SECONDS)
        .withClaimPresence("sub"))
        .build(clock);
  }

  /**
   * A verifier with no secret, that refuses every token with {@code -32001} saying {@code why}:
   * a server that admits users through its connect proxy only (issue #18) still locks its
   * sessions and refuses its HTTP API like token mode, and must not take a token it cannot check.
   */
  public static TokenVerifier refusingAll(String why, Clock clock, Runnable onRefusal) {
    byte[] unusable = new byte[32];
    new java.security.SecureRandom().nextBytes(unusable);
    return new TokenVerifier(java.util.HexFormat.of().formatHex(unusable), clock, onRefusal, why);
  }

  /** The identity in {@code token}; throws {@code -32001} saying why it is refused. */
  public Identity verify(String token) {
    try {
      return identity(token);
    } catch (RpcException refused) {
      onRefusal.run();
      throw refused;
    }
  }

  private Identity identity(String token) {
    if (refusal != null) {
      throw unauthorized(refusal);
    }
    if (token == null || token.isBlank()) {
      throw unauthorized("a token is required");
    }
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (TokenExpiredException e) {
      throw unauthorized("the token has expired");
    } catch (AlgorithmMismatchException e) {
      throw unauthorized("the token must be signed with HS256");
    } catch (SignatureVerificationException e) {
      throw unauthorized("the token's signature does not match");
    } catch (IncorrectClaimException e) {
      throw unauthorized("nbf".equals(e.getClaimName()) ? "the token is not valid yet"
          : "the token's " + e.getClaimName() + " claim is not acceptable");
    } catch (MissingClaimException e) {
      throw unauthorized("the token has no " + e.getClaimName() + " claim");
    } catch (JWTDecodeException e) {
      throw unauthorized("the token is not a well-formed JWT");
    } catch (JWTVerificationException e) {
      throw unauthorized("the token is not acceptable");
    }
    boolean admin = flag(jwt, ADMIN_CLAIM);
    boolean mayBroadcast = flag(jwt, BROADCAST_CLAIM) | admin; // both checked
    return new Identity(user(jwt.getSubject()), rooms(jwt.getClaim(ROOMS_CLAIM)), jwt.getExpiresAtAsInstant(),
        mayBroadcast, admin);
  }

  private static String user(String subject) {
    try {
      return Names.user("sub", subject);
    } catch (RpcException e) {
      throw unauthorized("the token's sub is not a valid user name (1-32 characters, no control, bidi,"
          + " zero-width or line-separator characters)");
    }
  }

  /** A boolean claim: false when absent or null; anything but a boolean refuses the token. */
  private static boolean flag(DecodedJWT jwt, String name) {
    Claim claim = jwt.getClaim(name);
    if (claim.isMissing() || claim.isNull()) {
      return false;
    }
    Boolean value = claim.asBoolean();
    if (value == null) {
      throw unauthorized("the token's " + name + " claim must be true or false");
    }
    return value;
  }

  private static Set<String> rooms(Claim claim) {
    if (claim.isMissing() || claim.isNull()) {
      return null;
    }
    List<String> names;
    try {
      names = claim.asList(String.class);
    } catch (MissingClaimException e) {
      throw unauthorized("the token has no " + e.getClaimName() + " claim");
    } catch (JWTDecodeException e) {
      names = null;
    }
    if (names == null) {
      throw unauthorized("the token's rooms claim must be an array of room names");
    }
    Set<String> rooms = new LinkedHashSet<>();
    for (String name : names) {
      try {
        rooms.add(Names.room("rooms", name));
      } catch (RpcException e) {
        throw unauthorized("the token's rooms claim holds an invalid room name");
      }
    }
    return rooms;
  }

  private static RpcException unauthorized(String why) {
    return new RpcException(ErrorCodes.UNAUTHORIZED, "Unauthorized: " + why);
  }
}
