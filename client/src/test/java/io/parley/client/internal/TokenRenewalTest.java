package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionListener;
import io.parley.client.ConnectionState;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.protocol.Request;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The token supplier on a virtual clock: asked before the first hello and every reconnect, and
 * again before the token's {@code exp}, when its token refreshes the live session in a second
 * hello on the same connection; a failing supplier fails the first connect with what it said.
 */
@Timeout(10)
class TokenRenewalTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final FakeTransport transport = new FakeTransport();
  private final List<String> given = new ArrayList<>();

  /** Tokens that expire 60 s from the real now: renewed 30 s before, on the virtual clock. */
  private CompletionStage<String> nextToken() {
    String token = jwt(Instant.now().plusSeconds(60), given.size() + 1);
    given.add(token);
    return CompletableFuture.completedFuture(token);
  }

  private static String jwt(Instant exp, int n) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"sub\":\"ann\",\"n\":" + n + ",\"exp\":" + exp.getEpochSecond() + "}")
            .getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  private ParleyClient client(Supplier<? extends CompletionStage<String>> tokens) {
    ClientConfig config = new ClientConfig(URI.create("ws://test/ws"), null, null, tokens, Duration.ofSeconds(1),
        Duration.ofSeconds(30), ReconnectPolicy.forever(Duration.ofMillis(100), Duration.ofMillis(100)), 4, 16,
        Duration.ofHours(1), ConnectionListener.NONE, new Random(1));
    return new RealParleyClient(config, clock, Runnable::run, gate -> transport);
  }

  private static List<String> helloTokens(FakeTransport.FakeLink link) {
    List<String> tokens = new ArrayList<>();
    for (Request request : link.requests) {
      if (request.method().equals("session.hello")) {
        tokens.add(((JsonObject) request.params()).get("token").getAsString());
      }
    }
    return tokens;
  }

  @Test
  void eachConnectionAsksForATokenAndTheLiveSessionIsRefreshedBeforeExp() {
    ParleyClient client = client(this::nextToken);
    CompletableFuture<?> connected = client.connect();
    clock.runDue();
    transport.accept();
    clock.runDue();
    assertThat(connected).isCompleted();
    assertThat(helloTokens(transport.links.get(0))).containsExactly(given.get(0));

    clock.advance(Duration.ofSeconds(25));
    assertThat(given).as("not yet: half a minute before exp at the earliest").hasSize(1);
    clock.advance(Duration.ofSeconds(10));
    assertThat(helloTokens(transport.links.get(0))).as("refresh on the same connection").containsExactly(given.get(0),
        given.get(1));
    assertThat(transport.links).hasSize(1);

    transport.links.get(0).drop(1006, "");
    clock.advance(Duration.ofMillis(200));
    transport.accept();
    clock.runDue();
    assertThat(helloTokens(transport.links.get(1))).as("a reconnect asks again").containsExactly(given.get(2));

    transport.links.get(1).drop(1008, "token expired");
    clock.advance(Duration.ofMillis(200));
    assertThat(client.state()).as("with a supplier a 1008 is retried").isNotEqualTo(ConnectionState.FAILED);
    assertThat(transport.opens).hasSize(3);
    client.close();
    clock.runDue();
  }

  @Test
  void aFailingSupplierFailsTheFirstConnectWithItsReason() {
    ParleyClient client = client(() -> CompletableFuture.failedFuture(new IllegalStateException("auth service down")));
    CompletableFuture<?> connected = client.connect();
    clock.runDue();
    assertThat(transport.opens).as("no connection without a token").isEmpty();
    assertThatThrownBy(connected::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(ConnectionClosedException.class)
        .hasMessage("the token supplier failed: auth service down");
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
  }
}
