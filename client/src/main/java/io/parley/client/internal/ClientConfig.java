package io.parley.client.internal;

import io.parley.client.ConnectionListener;
import io.parley.client.ReconnectPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The settings of one client, checked by {@link io.parley.client.ParleyClientBuilder} and frozen
 * here.
 *
 * @param endpoint the ws:// or wss:// URI
 * @param name the user name for hello, or {@code null} for a guest name
 * @param token a JWT for hello, or {@code null}
 * @param tokens the application's token supplier, or {@code null}; replaces {@code token}
 * @param connectTimeout how long opening a connection may take
 * @param callTimeout how long a call may take, waiting included
 * @param reconnect the reconnect policy
 * @param maxCallsInFlight calls awaiting replies at once
 * @param streamBuffer items a subscriber may fall behind
 * @param pingInterval how often to ping an open connection
 * @param listener the connection listener
 * @param random the jitter source; only the core thread uses it
 * @param compression whether to offer permessage-deflate on the upgrade
 * @param credentials the application's supplier of {@code session.hello}'s {@code credentials}
 *     (JSON text), or {@code null}
 */
public record ClientConfig(
    URI endpoint,
    String name,
    String token,
    Supplier<? extends CompletionStage<String>> tokens,
    Duration connectTimeout,
    Duration callTimeout,
    ReconnectPolicy reconnect,
    int maxCallsInFlight,
    int streamBuffer,
    Duration pingInterval,
    ConnectionListener listener,
    Random random,
    boolean compression,
    Supplier<? extends CompletionStage<String>> credentials) {

  /** Frames from the server may be a few MiB (history pages, recoveries). */
  public static final int MAX_INCOMING_MESSAGE = 16 * 1024 * 1024;

  /** The same settings offering compression, as by default. */
  public ClientConfig(URI endpoint, String name, String token, Supplier<? extends CompletionStage<String>> tokens,
      Duration connectTimeout, Duration callTimeout, ReconnectPolicy reconnect, int maxCallsInFlight,
      int streamBuffer, Duration pingInterval, ConnectionListener listener, Random random) {
    this(endpoint, name, token, tokens, connectTimeout, callTimeout, reconnect, maxCallsInFlight, streamBuffer,
        pingInterval, listener, random, true, null);
  }

  /** The same settings without a credentials supplier. */
  public ClientConfig(URI endpoint, String name, String token, Supplier<? extends CompletionStage<String>> tokens,
      Duration connectTimeout, Duration callTimeout, ReconnectPolicy reconnect, int maxCallsInFlight,
      int streamBuffer, Duration pingInterval, ConnectionListener listener, Random random, boolean compression) {
    this(endpoint, name, token, tokens, connectTimeout, callTimeout, reconnect, maxCallsInFlight, streamBuffer,
        pingInterval, listener, random, compression, null);
  }
}
