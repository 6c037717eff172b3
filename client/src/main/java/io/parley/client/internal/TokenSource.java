package io.parley.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where the tokens for {@code session.hello} come from: none (open mode), a fixed one, or the
 * application's supplier, asked at every connection and again before the current token's {@code
 * exp}. Tokens expire: the server closes a session whose token ran out (1008), so a fixed token
 * locks a long-running client out; a supplier keeps it in.
 *
 * <p>The supplier is application code, so it runs on the event thread; it returns a stage so that
 * fetching a token (often a network call) never holds up the client. The {@code exp} is read
 * from the JWT's payload without verifying anything: it only decides when to ask again.
 */
final class TokenSource {
  /** Refresh this long before {@code exp} at most (half the remaining time for short tokens). */
  static final Duration MAX_LEAD = Duration.ofSeconds(30);
  /** Never ask again sooner than this, even for a token about to expire. */
  static final Duration MIN_WAIT = Duration.ofSeconds(1);

  private final String fixed;
  private final Supplier<? extends CompletionStage<String>> supplier;
  private final Events events;
  private final Clock clock;

  TokenSource(String fixed, Supplier<? extends CompletionStage<String>> supplier, Events events, Clock clock) {
    this.fixed = fixed;
    this.supplier = supplier;
    this.events = events;
    this.clock = clock;
  }

  /** Whether tokens are renewed: there is a supplier to ask. */
  boolean renews() {
    return supplier != null;
  }

  /**
   * The token for the next hello: the fixed one (or {@code null}) at once, else the supplier's,
   * asked on the event thread. Fails if the supplier throws, fails or gives no token.
   */
  CompletableFuture<String> next() {
    if (supplier == null) {
      return CompletableFuture.completedFuture(fixed);
    }
    CompletableFuture<String> token = new CompletableFuture<>();
    events.post(() -> {
      try {
        CompletionStage<String> stage = supplier.get();
        if (stage == null) {
          throw new IllegalStateException("the token supplier returned null instead of a CompletionStage");
        }
        stage.whenComplete((value, failure) -> {
          if (failure != null) {
            token.completeExceptionally(failure);
          } else if (value == null || value.isBlank()) {
            token.completeExceptionally(new IllegalStateException("the token supplier gave an empty token"));
          } else {
            token.complete(value);
          }
        });
      } catch (RuntimeException e) {
        token.completeExceptionally(e);
      }
    });
    return token;
  }

  /** How long until a session authenticated with {@code token} should get a new one; empty if it has no {@code exp}. */
  Optional<Duration> renewIn(String token) {
    return expiry(token).map(exp -> renewIn(exp, clock.instant()));
  }

  /** The time left before {@code exp} less a lead of half that time, at most {@link #MAX_LEAD}; at least {@link #MIN_WAIT}. */
  static Duration renewIn(Instant exp, Instant now) {
    Duration left = Duration.between(now, exp);
    Duration lead = left.dividedBy(2).compareTo(MAX_LEAD) < 0 ? left.dividedBy(2) : MAX_LEAD;
    Duration wait = left.minus(lead);
    return wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait;
  }

  /** A supplier's failure in a few words, for a log line or an exception message. */
  static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** The {@code exp} claim of a JWT, read without verification; empty if it is not a JWT or has none. */
  static Optional<Instant> expiry(String jwt) {
    if (jwt == null) {
      return Optional.empty();
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      JsonElement claims = JsonParser.parseString(payload);
      if (!claims.isJsonObject()) {
        return Optional.empty();
      }
      JsonElement exp = ((JsonObject) claims).get("exp");
      if (exp == null || !exp.isJsonPrimitive() || !exp.getAsJsonPrimitive().isNumber()) {
        return Optional.empty();
      }
      return Optional.of(Instant.ofEpochSecond(exp.getAsLong()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
