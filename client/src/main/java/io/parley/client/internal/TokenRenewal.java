package io.parley.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.protocol.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a live session's token fresh: before the token's {@code exp} ({@link TokenSource#renewIn})
 * it asks the supplier for a new one and sends it in {@code session.hello}, which the server takes
 * as a refresh of the same session. A failure (the supplier's, or the server refusing the token)
 * is logged and tried again on the same schedule; the session keeps its old token meanwhile, and
 * if that runs out the server closes with 1008 and the connector reconnects with a new token.
 * Does nothing without a supplier. Core thread only.
 */
final class TokenRenewal {
  /** The connector seen from here. */
  interface Host {
    /** True while connection {@code generation} is open and recovered. */
    boolean live(int generation);

    Call sendInternal(String method, JsonElement params);
  }

  private static final Logger LOG = LoggerFactory.getLogger(TokenRenewal.class);

  private final TokenSource tokens;
  private final Scheduler core;
  private final Host host;
  private Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
  private String token;

  TokenRenewal(TokenSource tokens, Scheduler core, Host host) {
    this.tokens = tokens;
    this.core = core;
    this.host = host;
  }

  /** The token a new connection says hello with. */
  void connectingWith(String helloToken) {
    token = helloToken;
  }

  /** The session's current token; {@code null} in open mode. */
  String token() {
    return token;
  }

  /** Connection {@code generation} is ready: renew its token when due. */
  void start(int generation) {
    if (!tokens.renews()) {
      return;
    }
    tokens.renewIn(token).ifPresent(wait -> timer = core.schedule(() -> renew(generation), wait));
  }

  /** The connection is gone or the client closed. */
  void stop() {
    timer.cancel();
  }

  private void renew(int generation) {
    if (!host.live(generation)) {
      return;
    }
    tokens.next().whenComplete((fresh, failure) -> core.execute(() -> {
      if (!host.live(generation)) {
        return;
      }
      if (failure != null) {
        LOG.warn("token supplier failed; will ask again: {}", TokenSource.describe(failure));
        start(generation);
        return;
      }
      JsonObject params = new JsonObject();
      params.addProperty("token", fresh);
      host.sendInternal(Methods.HELLO.name(), params).result.whenComplete((json, refused) -> {
        if (!host.live(generation)) {
          return;
        }
        if (refused == null) {
          token = fresh;
        } else {
          LOG.warn("token refresh refused; will try again: {}", refused.getMessage());
        }
        start(generation);
      });
    }));
  }
}
