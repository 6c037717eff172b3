package io.parley.client;

import io.parley.client.internal.ClientConfig;
import io.parley.client.internal.RealParleyClient;
import io.parley.client.internal.SharedResources;
import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Configures and builds a {@link ParleyClient}. Settings are checked when set (a bad one throws
 * {@link IllegalArgumentException} saying what was expected) and frozen by {@link #build()}; the
 * builder can be reused. Not thread-safe.
 */
public final class ParleyClientBuilder {
  private URI endpoint;
  private String name;
  private String token;
  private Supplier<? extends CompletionStage<String>> tokenSupplier;
  private Supplier<? extends CompletionStage<String>> credentialsSupplier;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration callTimeout = Duration.ofSeconds(30);
  private ReconnectPolicy reconnect = ReconnectPolicy.defaults();
  private int maxCallsInFlight = 64;
  private int streamBuffer = 1024;
  private Duration pingInterval = Duration.ofSeconds(30);
  private ConnectionListener listener = ConnectionListener.NONE;
  private Random random;
  private boolean compression = true;
  private ClientResources resources;

  ParleyClientBuilder() {}

  /** The server's WebSocket endpoint, e.g. {@code ws://localhost:8080/ws}. Required. */
  public ParleyClientBuilder endpoint(URI uri) {
    if (uri == null || !("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint: expected a ws:// or wss:// URI with a host, got " + uri);
    }
    this.endpoint = uri;
    return this;
  }

  /** {@link #endpoint(URI)} from text. */
  public ParleyClientBuilder endpoint(String uri) {
    try {
      return endpoint(URI.create(uri));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: expected a ws:// or wss:// URI, got \"" + uri + "\"", e);
    }
  }

  /** The user name for {@code session.hello} (open mode); without it the server makes up a guest name. */
  public ParleyClientBuilder name(String userName) {
    try {
      this.name = Names.user("name", userName);
    } catch (RpcException e) {
      throw new IllegalArgumentException(e.error().message(), e);
    }
    return this;
  }

  /**
   * A fixed JWT for {@code session.hello} (token mode). Every reconnect uses it again, so once its
   * {@code exp} passes the client is locked out: for a long-running client use {@link
   * #tokenSupplier}. Replaces a token supplier set before.
   */
  public ParleyClientBuilder token(String jwt) {
    if (jwt == null || jwt.isBlank()) {
      throw new IllegalArgumentException("token: expected a JWT, got an empty string");
    }
    this.token = jwt;
    this.tokenSupplier = null;
    return this;
  }

  /**
   * Where JWTs come from (token mode), for clients that outlive a token. The supplier is called on
   * the event thread before every connection, first and reconnects, and again before the current
   * token's {@code exp} (half its remaining lifetime before, at most 30 s before), when the new
   * token refreshes the open session with {@code session.hello} without reconnecting. It should
   * return at once: do slow work (an HTTP call to your auth service) in the stage it returns, e.g.
   * {@code () -> CompletableFuture.supplyAsync(auth::fetchToken)}; for a token at hand, {@code
   * CompletableFuture.completedFuture(jwt)}.
   *
   * <p>A stage that fails, or does not complete within the connect timeout, fails that connection
   * attempt like a network error (the first {@link ParleyClient#connect()} fails with it; later
   * ones are retried with the reconnect policy); a failed refresh is tried again, and the session
   * keeps its token until the server closes it at expiry, when the client reconnects with a new
   * one. With a supplier, a close for policy (1008, such as an expired token) is retried too.
   * Replaces a fixed {@link #token} set before.
   */
  public ParleyClientBuilder tokenSupplier(Supplier<? extends CompletionStage<String>> supplier) {
    if (supplier == null) {
      throw new IllegalArgumentException("tokenSupplier: expected a supplier, got null");
    }
    this.tokenSupplier = supplier;
    this.token = null;
    return this;
  }

  /**
   * Where the {@code credentials} of {@code session.hello} come from, for a server whose
   * application backend admits users through its connect proxy (contract 1.1): the supplier gives
   * any JSON value as text (an object such as {@code {"session":"…"}}, a string, …), which the
   * server hands to the backend with the upgrade's cookies. It is called on the event thread before
   * every connection, the first and each reconnect, so each hello carries fresh credentials; like
   * {@link #tokenSupplier} it should return at once and do slow work in the stage it returns, e.g.
   * {@code () -> CompletableFuture.supplyAsync(app::currentSessionJson)}.
   *
   * <p>A stage that fails, gives text that is not JSON, or does not complete within the connect
   * timeout fails that connection attempt like a network error. A backend's refusal makes the
   * hello fail with {@link RpcErrorException} {@code -32006} (its {@code data} holds {@code
   * reason}); a {@code -32005} (the backend failed or was too slow) fails the first {@link
   * ParleyClient#connect()} like a network error and is retried on reconnects. Works beside a
   * token or token supplier (the server tries a token first).
   */
  public ParleyClientBuilder credentialsSupplier(Supplier<? extends CompletionStage<String>> supplier) {
    if (supplier == null) {
      throw new IllegalArgumentException("credentialsSupplier: expected a supplier, got null");
    }
    this.credentialsSupplier = supplier;
    return this;
  }

  /** How long opening a connection (TCP, upgrade) may take; default 10 s. */
  public ParleyClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive("connectTimeout", timeout);
    return this;
  }

  /** How long a call may take from the call to its reply, waiting included; default 30 s. */
  public ParleyClientBuilder callTimeout(Duration timeout) {
    this.callTimeout = positive("callTimeout", timeout);
    return this;
  }

  /** When to reconnect; default {@link ReconnectPolicy#defaults()}. */
  public ParleyClientBuilder reconnect(ReconnectPolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("reconnect: expected a policy, got null");
    }
    this.reconnect = policy;
    return this;
  }

  /** The most calls awaiting replies at once; later calls wait in order. Default 64. */
  public ParleyClientBuilder maxCallsInFlight(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxCallsInFlight: expected at least 1, got " + max);
    }
    this.maxCallsInFlight = max;
    return this;
  }

  /** Items a stream subscriber may fall behind its demand before it is cancelled; default 1024. */
  public ParleyClientBuilder streamBuffer(int items) {
    if (items < 1) {
      throw new IllegalArgumentException("streamBuffer: expected at least 1, got " + items);
    }
    this.streamBuffer = items;
    return this;
  }

  /** How often to ping the server so idle connections stay open; default 30 s. */
  public ParleyClientBuilder pingInterval(Duration interval) {
    this.pingInterval = positive("pingInterval", interval);
    return this;
  }

  /** Hears connection state changes, on the event thread. */
  public ParleyClientBuilder listener(ConnectionListener connectionListener) {
    this.listener = connectionListener == null ? ConnectionListener.NONE : connectionListener;
    return this;
  }

  /** The source of backoff jitter; seed it for repeatable tests. Default: a {@link SecureRandom}. */
  public ParleyClientBuilder random(Random source) {
    if (source == null) {
      throw new IllegalArgumentException("random: expected a Random, got null");
    }
    this.random = source;
    return this;
  }

  /**
   * Whether to offer permessage-deflate (RFC 7692) when connecting; default {@code true}. The
   * server compresses what it sends if it accepts (Parley does unless started with
   * {@code PARLEY_COMPRESSION=off}), and so does this client: chat JSON then travels in a third to
   * a half of its bytes, for some CPU on both sides and a compressor's memory per connection.
   * {@code false} sends and receives every frame as it is, e.g. on a fast local network.
   */
  public ParleyClientBuilder compression(boolean offer) {
    this.compression = offer;
    return this;
  }

  /**
   * The threads and WebSocket client to share with other clients; default: the JVM-wide ones,
   * created on first use and ended when their last client closes. The client built uses them until
   * it is closed; closing it leaves them to their other users.
   */
  public ParleyClientBuilder resources(ClientResources shared) {
    if (shared == null) {
      throw new IllegalArgumentException("resources: expected ClientResources, got null");
    }
    this.resources = shared;
    return this;
  }

  /**
   * A new client, not connected yet.
   *
   * @throws IllegalStateException without an endpoint, or when the {@link #resources} are closed
   */
  public ParleyClient build() {
    if (endpoint == null) {
      throw new IllegalStateException("endpoint is required: call endpoint(\"ws://host:port/ws\")");
    }
    ClientConfig config = new ClientConfig(endpoint, name, token, tokenSupplier, connectTimeout, callTimeout, reconnect,
        maxCallsInFlight, streamBuffer, pingInterval, listener, random == null ? new SecureRandom() : random,
        compression, credentialsSupplier);
    return RealParleyClient.create(config, resources == null ? SharedResources.acquireDefault() : resources.acquire());
  }

  private static Duration positive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + ": expected a positive duration, got " + value);
    }
    return value;
  }
}
