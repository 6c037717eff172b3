package io.parley.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.client.CallTimeoutException;
import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionListener;
import io.parley.client.ConnectionState;
import io.parley.client.RpcErrorException;
import io.parley.protocol.CloseCodes;
import io.parley.protocol.CloseReasons;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of the connection: open (with the connect timeout), recover ({@link Recovery}), serve,
 * and on a drop reconnect with {@link Backoff} until the policy gives up; after a 1001 whose
 * reason announces a wait ({@link CloseReasons}), the next attempt comes after that wait instead.
 * Each attempt takes its token from the {@link TokenSource} first (an application's supplier may
 * take a while), and a ready session's token is kept fresh by {@link TokenRenewal}.
 * Every connection gets a new generation number; whatever arrives for an older one is ignored,
 * so a late callback can never touch the current connection. Calls go through here to the {@link CallQueue}.
 *
 * <p>Core thread only, except {@link #state()} and {@link #user()}, which are volatile snapshots.
 */
final class Connector implements Recovery.Host, TokenRenewal.Host {
  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

  private final ClientConfig config;
  private final Scheduler core;
  private final Transport transport;
  private final Events events;
  private final ReadGate gate;
  private final CallQueue calls;
  private final Backoff backoff;
  private final Rooms rooms;
  private final Inbound inbound;
  private final RoomPaging paging;
  private final DirectMessages direct;
  private final EventStream<BroadcastNote> broadcasts;
  private final TokenSource tokens;
  private final CredentialsSource credentials;
  /** What the next hello sends as {@code credentials}, or {@code null}; fetched before each connection. */
  private JsonElement helloCredentials;
  private final TokenRenewal renewal;
  private final CompletableFuture<HelloResult> opened = new CompletableFuture<>();
  private volatile ConnectionState state = ConnectionState.NEW;
  private volatile String user;
  private String helloName;
  private Link link;
  private boolean ready;
  private int generation;
  private int attempt;
  private Scheduler.Cancellable pinger = Scheduler.Cancellable.NONE;

  Connector(ClientConfig config, Scheduler core, Transport transport, Events events, ReadGate gate,
      Rooms rooms, EventStream<BroadcastNote> broadcasts) {
    this.config = config;
    this.core = core;
    this.transport = transport;
    this.events = events;
    this.gate = gate;
    this.calls = new CallQueue(config.maxCallsInFlight(), this::retryLater);
    this.rooms = rooms;
    this.backoff = new Backoff(config.reconnect(), config.random());
    this.helloName = config.name();
    this.broadcasts = broadcasts;
    this.paging = new RoomPaging(this::sendInternal, rooms);
    this.direct = new DirectMessages(this::sendInternal, rooms,
        new EventStream<>(events, config.streamBuffer(), "direct messages"),
        new EventStream<>(events, config.streamBuffer(), "direct changes"));
    this.inbound = new Inbound(calls, rooms, broadcasts, paging, direct);
    this.tokens = new TokenSource(config.token(), config.tokens(), events, Clock.systemUTC());
    this.credentials = new CredentialsSource(config.credentials(), events);
    this.renewal = new TokenRenewal(tokens, core, this);
  }

  ConnectionState state() {
    return state;
  }

  /** The direct messages this client receives outside joined rooms. */
  EventStream<Message> directMessages() {
    return direct.stream();
  }

  /** The changes of direct conversations outside joined rooms. */
  EventStream<Change> directChanges() {
    return direct.changes();
  }

  String user() {
    return user;
  }

  CallQueue calls() {
    return calls;
  }

  RoomPaging paging() {
    return paging;
  }

  boolean isTerminal() {
    return state == ConnectionState.CLOSED || state == ConnectionState.FAILED;
  }

  boolean isReady() {
    return ready;
  }

  /** The first connection's outcome; completes on the event thread. */
  CompletableFuture<HelloResult> opened() {
    return opened;
  }

  void start() {
    if (state != ConnectionState.NEW) {
      return;
    }
    state = ConnectionState.CONNECTING;
    tell(ConnectionListener::onConnecting);
    openLink();
  }

  /**
   * A new attempt: the token first (from the supplier, if any, within the connect timeout), then the
   * connection. A fixed token or none goes straight on.
   */
  private void openLink() {
    int gen = ++generation;
    CompletableFuture<String> fetching = tokens.next();
    CompletableFuture<JsonElement> asking = credentials.next();
    if (fetching.isDone() && !fetching.isCompletedExceptionally() && asking.isDone()
        && !asking.isCompletedExceptionally()) {
      helloCredentials = asking.join();
      openLink(gen, fetching.join());
      return;
    }
    Scheduler.Cancellable timer = core.schedule(() -> {
      if (gen == generation && link == null) {
        attemptFailed(gen, new CallTimeoutException(
            credentials.present() && !asking.isDone() ? "credentials supplier" : "token supplier",
            config.connectTimeout()));
      }
    }, config.connectTimeout());
    CompletableFuture.allOf(fetching, asking).whenComplete((ignored, failure) -> core.execute(() -> {
      timer.cancel();
      if (gen != generation || isTerminal()) {
        return;
      }
      if (fetching.isCompletedExceptionally()) {
        attemptFailed(gen, tokenFailure(failure));
      } else if (asking.isCompletedExceptionally()) {
        attemptFailed(gen, credentialsFailure(failure));
      } else {
        helloCredentials = asking.join();
        openLink(gen, fetching.join());
      }
    }));
  }

  private void openLink(int gen, String helloToken) {
    renewal.connectingWith(helloToken);
    Link.Listener listener = new Link.Listener() {
      @Override
      public void onText(String text) {
        gate.add();
        if (!core.execute(() -> onFrame(gen, text))) {
          gate.done();
        }
      }

      @Override
      public void onClosed(int code, String reason) {
        core.execute(() -> onLinkClosed(gen, code, reason));
      }
    };
    CompletableFuture<Link> opening = transport.open(config.endpoint(), config.connectTimeout(), listener);
    Scheduler.Cancellable timer = core.schedule(() -> {
      if (gen == generation && link == null) {
        opening.cancel(true);
        attemptFailed(gen, new CallTimeoutException("connect", config.connectTimeout()));
      }
    }, config.connectTimeout());
    opening.whenComplete((openedLink, failure) -> core.execute(() -> {
      timer.cancel();
      if (gen != generation || isTerminal()) {
        if (openedLink != null) {
          openedLink.close(CloseCodes.NORMAL, "attempt abandoned");
        }
      } else if (failure != null) {
        attemptFailed(gen, connectFailure(failure));
      } else {
        link = openedLink;
        direct.connecting();
        new Recovery(this, rooms, paging, gen).start(helloParams());
      }
    }));
  }

  private void onFrame(int gen, String text) {
    try {
      if (gen == generation) {
        inbound.onFrame(text);
        calls.pump(ready ? link : null);
      }
    } finally {
      gate.done();
    }
  }

  private JsonObject helloParams() {
    JsonObject params = new JsonObject();
    if (helloCredentials != null) {
      params.add("credentials", helloCredentials.deepCopy());
    }
    if (renewal.token() != null) {
      params.addProperty("token", renewal.token());
    } else if (helloName != null) {
      params.addProperty("name", helloName);
    }
    return params;
  }

  /** A hello went through: later connections say hello as {@code name}. */
  void named(String name) {
    helloName = name;
    user = name;
  }

  @Override
  public boolean current(int gen) {
    return gen == generation && !isTerminal();
  }

  @Override
  public void ready(int gen, HelloResult hello) {
    named(hello.user());
    ready = true;
    attempt = 0;
    state = ConnectionState.OPEN;
    tell(listener -> listener.onOpen(hello.user()));
    events.post(() -> opened.complete(hello));
    schedulePing(gen);
    renewal.start(gen);
    calls.pump(link);
    direct.sessionOpened(hello.user());
  }

  @Override
  public boolean live(int gen) {
    return gen == generation && ready;
  }

  @Override
  public void broken(int gen, Throwable cause) {
    if (cause instanceof ConnectionClosedException) {
      return;
    }
    // A hello the server could not complete for now (its application backend's connect proxy
    // failed: -32005) is retried like a connection that broke, not given up on like a refusal.
    if (cause instanceof CallTimeoutException
        || cause instanceof RpcErrorException e && e.code() == ErrorCodes.UNAVAILABLE) {
      Link current = link;
      lost(new ConnectionClosedException(ConnectionClosedException.NO_CODE, cause.getMessage() + " while recovering", cause),
          null);
      current.close(CloseCodes.NORMAL, "no answer");
      return;
    }
    fail(cause);
  }

  private void onLinkClosed(int gen, int code, String reason) {
    if (gen == generation && !isTerminal()) {
      // Jetty may report a refused connection as a close before the open fails: it is still a
      // connection that never opened, and should read like the open's own failure.
      String what = link == null ? "could not connect to " + config.endpoint() + ": " : "connection closed: ";
      lost(new ConnectionClosedException(code, what + code + " " + readable(reason)), announcedWait(code, reason));
    }
  }

  /**
   * The close reason as a person should read it. An abnormal drop has none, and Jetty may hand over
   * the text {@code "null"} for it, which read as if the server had said "null".
   */
  static String readable(String reason) {
    return reason == null || reason.isBlank() || reason.equals("null") ? "(no reason given)" : reason;
  }

  /**
   * The wait a shutting-down server gave this session in its 1001 close reason, cut to {@link
   * CloseReasons#MAX_RETRY_AFTER_MS}; {@code null} when it gave none, and the backoff decides. The
   * server spreads these waits over its sessions so its clients do not all come back at once.
   */
  private static Duration announcedWait(int code, String reason) {
    if (code != CloseCodes.GOING_AWAY) {
      return null;
    }
    OptionalLong millis = CloseReasons.retryAfterMs(reason);
    return millis.isPresent() ? Duration.ofMillis(Math.min(millis.getAsLong(), CloseReasons.MAX_RETRY_AFTER_MS)) : null;
  }

  /** The connection is gone; {@code announced} is the server's wait for the next attempt, or {@code null}. */
  private void lost(ConnectionClosedException cause, Duration announced) {
    generation++;
    link = null;
    ready = false;
    pinger.cancel();
    renewal.stop();
    calls.onDisconnect(cause);
    // A 1008 (a refused or expired token, say) would come again with the same token; a supplier gives a new one.
    if (state == ConnectionState.CONNECTING || (cause.code() == CloseCodes.POLICY_VIOLATION && !tokens.renews())) {
      fail(cause);
    } else {
      scheduleReconnect(cause, announced);
    }
  }

  private void attemptFailed(int gen, Throwable cause) {
    if (gen != generation) {
      return;
    }
    generation++;
    if (state == ConnectionState.CONNECTING) {
      fail(cause);
    } else {
      scheduleReconnect(cause, null);
    }
  }

  /** Schedules the next attempt after {@code announced} if the server gave a wait, else after the backoff. */
  private void scheduleReconnect(Throwable cause, Duration announced) {
    attempt++;
    if (attempt > config.reconnect().maxAttempts()) {
      fail(cause);
      return;
    }
    Duration delay = announced != null ? announced : backoff.delay(attempt);
    state = ConnectionState.RECONNECTING;
    int number = attempt;
    LOG.debug("reconnect attempt {} in {} ms after: {}", number, delay.toMillis(), cause.getMessage());
    tell(listener -> listener.onReconnecting(number, delay, cause));
    int gen = generation;
    core.schedule(() -> {
      if (gen == generation && state == ConnectionState.RECONNECTING) {
        openLink();
      }
    }, delay);
  }

  private void schedulePing(int gen) {
    pinger = core.schedule(() -> {
      if (gen == generation && link != null) {
        link.ping();
        schedulePing(gen);
      }
    }, config.pingInterval());
  }

  /** Queues an application call; it times out {@code callTimeout} from now, waiting included. */
  void submit(Call call) {
    if (isTerminal()) {
      call.result.completeExceptionally(new ConnectionClosedException(CloseCodes.NORMAL, "client is " + state));
      return;
    }
    Scheduler.Cancellable timer = core.schedule(
        () -> abandon(call, new CallTimeoutException(call.method, config.callTimeout())), config.callTimeout());
    call.result.whenComplete((result, failure) -> timer.cancel());
    calls.enqueue(call);
    calls.pump(ready ? link : null);
  }

  /** A repeatable call met {@code -32005}: it goes again after a backoff pause (its timeout still runs). */
  void retryLater(Call call) {
    Duration pause = backoff.delay(Math.min(call.unavailable, 8));
    LOG.debug("{} answered unavailable; again in {} ms", call, pause.toMillis());
    core.schedule(() -> {
      calls.retry(call);
      calls.pump(ready ? link : null);
    }, pause);
  }

  /** Takes a call out (timeout or cancellation) and lets the next one go. */
  void abandon(Call call, Throwable why) {
    calls.abandon(call, why);
    calls.pump(ready ? link : null);
  }

  /** Sends a call of the client's own on the current connection, at once, with the call timeout. */
  @Override
  public Call sendInternal(String method, JsonElement params) {
    Call call = Call.internal(method, params);
    if (link == null) {
      call.result.completeExceptionally(new ConnectionClosedException(ConnectionClosedException.NO_CODE, "not connected"));
      return call;
    }
    Scheduler.Cancellable timer = core.schedule(
        () -> calls.abandon(call, new CallTimeoutException(method, config.callTimeout())), config.callTimeout());
    call.result.whenComplete((result, failure) -> timer.cancel());
    calls.sendNow(link, call);
    return call;
  }

  void close() {
    if (isTerminal()) {
      return;
    }
    state = ConnectionState.CLOSED;
    ConnectionClosedException closed = new ConnectionClosedException(CloseCodes.NORMAL, "client closed");
    end(closed, closed);
    rooms.endAll();
    broadcasts.complete();
    direct.complete();
    tell(ConnectionListener::onClosed);
    release();
  }

  private void fail(Throwable cause) {
    if (isTerminal()) {
      return;
    }
    state = ConnectionState.FAILED;
    ConnectionClosedException closed = cause instanceof ConnectionClosedException c ? c
        : new ConnectionClosedException(ConnectionClosedException.NO_CODE, "gave up: " + cause.getMessage(), cause);
    end(closed, cause);
    rooms.failAll(closed);
    broadcasts.fail(closed);
    direct.fail(closed);
    tell(listener -> listener.onFailed(cause));
    release();
  }

  private void end(ConnectionClosedException why, Throwable connectFailure) {
    events.post(() -> opened.completeExceptionally(connectFailure));
    generation++;
    ready = false;
    pinger.cancel();
    renewal.stop();
    if (link != null) {
      link.close(CloseCodes.NORMAL, "client closed");
      link = null;
    }
    calls.failAll(why);
  }

  /** Last: the transport gives back this client's use of the shared threads, which may end them. */
  private void release() {
    core.execute(events::shutdown);
    core.shutdown();
    transport.shutdown();
  }

  private void tell(Consumer<ConnectionListener> event) {
    ConnectionListener listener = config.listener();
    events.post(() -> event.accept(listener));
  }

  private static ConnectionClosedException tokenFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return new ConnectionClosedException(ConnectionClosedException.NO_CODE,
        "the token supplier failed: " + TokenSource.describe(failure), cause);
  }

  private static ConnectionClosedException credentialsFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return new ConnectionClosedException(ConnectionClosedException.NO_CODE,
        "the credentials supplier failed: " + TokenSource.describe(failure), cause);
  }

  /** Why an attempt failed: a timeout anywhere in the chain (Jetty's own, too) is the connect timeout. */
  private RuntimeException connectFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException) {
        return new CallTimeoutException("connect", config.connectTimeout());
      }
    }
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ConnectionClosedException(ConnectionClosedException.NO_CODE,
        "could not connect to " + config.endpoint() + ": " + why, cause);
  }
}
