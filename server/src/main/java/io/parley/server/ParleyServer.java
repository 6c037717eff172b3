package io.parley.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.protocol.CloseCodes;
import io.parley.protocol.CloseReasons;
import io.parley.server.admin.OperationsChannel;
import io.parley.server.admin.OperationsPage;
import io.parley.server.auth.SessionGuard;
import io.parley.server.backend.Backend;
import io.parley.server.auth.TokenVerifier;
import io.micrometer.core.instrument.Timer;
import io.parley.server.chat.BlockingWork;
import io.parley.server.chat.GroupCommitter;
import io.parley.server.cluster.NatsBroker;
import io.parley.server.hub.Broker;
import io.parley.server.hub.Hub;
import io.parley.server.hub.LocalBroker;
import io.parley.server.hub.Presence;
import io.parley.server.metrics.LatencyBuckets;
import io.parley.server.config.ServerConfig;
import io.parley.server.http.AddressRateGate;
import io.parley.server.http.CorsPolicy;
import io.parley.server.http.HostGuard;
import io.parley.server.http.ForwardedClient;
import io.parley.server.http.HostPolicy;
import io.parley.server.http.HttpRoutes;
import io.parley.server.http.JsonErrorHandler;
import io.parley.server.http.MetricsAccess;
import io.parley.server.http.SessionRoutes;
import io.parley.server.http.TrustedProxies;
import io.parley.server.rpc.RpcDispatcher;
import io.parley.server.limits.AddressBuckets;
import io.parley.server.limits.LimitMetrics;
import io.parley.server.metrics.ServerMetrics;
import io.parley.server.webhooks.PresenceRecorder;
import io.parley.server.webhooks.WebhookSender;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.NodeBacklog;
import io.parley.server.limits.TokenBucket;
import io.parley.server.ws.EventStreams;
import io.parley.server.ws.Pinger;
import io.parley.server.ws.SessionFactory;
import io.parley.server.ws.SessionRegistry;
import io.parley.sql.MessageStore;
import io.parley.sql.StoreSettings;
import io.parley.sql.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Parley node: store, committer, rooms, sessions and the Jetty server, wired once from a
 * frozen {@link ServerConfig}. {@link #start} returns when the port is bound ({@link #port()} tells
 * which, for port 0); {@link #stop} drains: it stops accepting, lets queued sends commit and be
 * answered, closes sessions with 1001 (each with its own wait before reconnecting, see
 * {@link ServerConfig#restartSpreadMs}), then releases the store.
 */
public final class ParleyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
  private static final long DRAIN_MS = 10_000;
  private static final long FLUSH_MS = 2_000;
  /** How long a session must have sent nothing before a stop counts it as settled. */
  private static final long SETTLE_MS = 100;
  /** Longest wait for closing sessions to end: a little more than the 3 s after which a close that cannot be written is aborted. */
  private static final long CLOSE_WAIT_MS = 3_500;
  /**
   * Database connections in all: {@link StoreSettings#WRITE_POOL_SIZE} of them are the
   * committer's and the health probe's alone, the rest serve reads, so reads never delay a commit.
   */
  private static final int STORE_POOL_SIZE = 10;

  private final ServerConfig config;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final GroupCommitter committer;
  /** Sends the webhook outbox (#18), or null when webhooks are off. */
  private final WebhookSender webhooks;
  /** Writes the presence webhook events (#18), or null when webhooks are off. */
  private final PresenceRecorder presenceEvents;
  /** The connect and publish proxies (#18), {@link Backend#OFF} when none is configured. */
  private final Backend backend;
  private final Hub hub;
  private final Broker broker;
  private final SessionRegistry sessions = new SessionRegistry();
  private final Server jetty;
  private final ServerConnector connector;
  private final WebSocketRoute webSocket;
  private final SessionAdmission admission;
  private final EventStreams streams;
  private final SessionGuard guard;
  private final HostPolicy hosts;
  private final Pinger pinger;
  /** The page at {@code /admin} and its sampler. */
  private final OperationsPage operations;
  /** Room departures of sessions the server is done with, one after another, off Jetty's threads. */
  private final ExecutorService departures = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parley-leave");
    t.setDaemon(true);
    return t;
  });
  private boolean stopped;

  /** Why a token is refused by a server that admits users through its connect proxy alone. */
  private static final String NO_TOKENS = "this server admits users through its connect proxy, not with tokens:"
      + " open a session (GET /ws or GET /events) and send session.hello with your credentials";

  /** How long an HTTP connection may make no progress (no bytes read nor written) before it is dropped. */
  static final Duration HTTP_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Connections the kernel may hold accepted-but-not-yet-taken. The JDK's default of 50 overflows
   * when a crowd reconnects at once (a deploy, a network blip): the kernel then drops SYNs and each
   * dropped client waits a full second for its retransmit. The kernel caps it at somaxconn.
   */
  static final int ACCEPT_QUEUE = 1024;

  /**
   * Most threads Jetty may run: Jetty's own default. A cap of 32 measured about 3 KiB less RSS per
   * idle connection (a burst of connections grows the pool to its maximum, and each thread keeps
   * its touched stack), but in one clean-clone CI run of eleven with it, ReadStarvationIT's victim
   * had a send never answered; until that is understood the pool keeps Jetty's size
   * (docs/performance.md).
   */
  static final int HTTP_THREADS = 200;

  private ParleyServer(ServerConfig config) {
    this.config = config;
    ServerMetrics metrics = new ServerMetrics(Version.current(), config.nodeId());
    PrometheusMeterRegistry registry = metrics.registry();
    StoreSettings storeSettings = new StoreSettings(config.dbUrl(), config.dbUser(), config.dbPassword(),
        config.dbSchema(), config.dataDir(), STORE_POOL_SIZE + (config.webhooks() == null ? 0 : 2),
        metrics.poolMetrics()); // with webhooks, two more: a claim holds one while its POST runs, presence one
    this.store = config.webhooks() == null ? Stores.open(storeSettings)
        : Stores.openWithWebhookOutbox(storeSettings, Clock.systemUTC());
    this.webhooks = config.webhooks() == null ? null
        : new WebhookSender(store.webhookOutbox().orElseThrow(), config.webhooks(), Clock.systemUTC(), registry);
    this.presenceEvents = config.webhooks() == null ? null
        : new PresenceRecorder(store.presenceLedger().orElseThrow(), config.nodeId(), Clock.systemUTC(), registry);
    // As many reader threads as reads have connections: more would only wait in the pool.
    this.blocking = new BlockingWork(STORE_POOL_SIZE - StoreSettings.WRITE_POOL_SIZE);
    this.hub = new Hub(sessions, LatencyBuckets.on(Timer.builder("parley.delivery.lag"))
        .description("from messages reaching the hub (committed here, or in order from another node) until they are"
            + " handed to every local member's socket").register(registry), true);
    this.broker = openBroker(config, hub, registry);
    hub.subscribeThrough(broker);
    if (presenceEvents != null) {
      hub.watchOccupancy(presenceEvents);
      sessions.watchUsers(presenceEvents);
    }
    Presence presence = broker instanceof NatsBroker nats ? nats.presence() : Presence.NONE;
    this.committer = new GroupCommitter(store, broker, registry);
    Counter authFailures = Counter.builder("parley.auth.failures")
        .description("tokens refused (token mode): upgrades, session.hello, POST /rpc and publishing requests")
        .register(registry);
    TokenVerifier verifier = config.tokenMode()
        ? new TokenVerifier(config.jwtSecret(), Clock.systemUTC(), authFailures::increment)
        : config.sessionsLocked() ? TokenVerifier.refusingAll(NO_TOKENS, Clock.systemUTC(), authFailures::increment)
        : null;
    this.backend = Backend.of(config, Clock.systemUTC(), registry);
    this.guard = verifier == null ? null : new SessionGuard(verifier, config.authTimeout(), Clock.systemUTC());
    LimitMetrics limits = new LimitMetrics(registry);
    MethodBindings methods = new MethodBindings(config, store, hub, blocking, committer, broker, presence, Clock.systemUTC(), guard,
        limits, backend);
    RpcDispatcher dispatcher = methods.dispatcher(registry);
    Gauge.builder("parley.sessions", sessions, SessionRegistry::size).description("open WebSocket sessions")
        .register(registry);
    Gauge.builder("parley.rooms", hub, Hub::roomCount).description("rooms with local members")
        .register(registry);
    NodeBacklog backlog = NodeBacklog.ofHeap();
    Gauge.builder("parley.outbound.unwritten", backlog, NodeBacklog::unwritten).baseUnit("bytes")
        .description("bytes handed to WebSocket sessions and not written yet; past parley.outbound.limit lagging"
            + " sessions are not read").register(registry);
    Gauge.builder("parley.outbound.limit", backlog, NodeBacklog::limit).baseUnit("bytes")
        .description("the node's line for unwritten bytes (an eighth of the heap)").register(registry);
    FunctionCounter.builder("parley.notifications.delivered", sessions, SessionRegistry::notificationsSent)
        .description("notifications (chat.message, presence, broadcast, session.expired) handed to sessions' sockets")
        .register(registry);

    QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS, 8);
    threads.setName("parley-http");
    this.jetty = new Server(threads);
    jetty.setStopTimeout(5_000);
    jetty.setErrorHandler(new JsonErrorHandler());
    if (config.accessLog()) {
      jetty.setRequestLog(AccessLog.create());
    }
    this.connector = new ServerConnector(jetty, httpFactory(TrustedProxies.of(config.trustedProxies())));
    // A client that stops reading an answer (or sending a request) holds its buffers and its
    // connection only this long: the idle timeout also bounds a blocked write.
    connector.setIdleTimeout(HTTP_IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    connector.setName("http"); // the connector_name of the jetty_connections_* metrics
    connector.setHost(config.host());
    connector.setPort(config.port());
    jetty.addConnector(connector);
    metrics.bindJetty(jetty, threads);
    // Leaving rooms tells the other members, and a write to one of them that fails at once makes
    // Jetty close that session inline, whose leaving tells the others...: run on Jetty's thread,
    // a crowd dropping at once (a load generator exiting) recursed until the stack overflowed.
    // One budget per client address, shared by upgrades, /api requests and POST /rpc calls.
    AddressRateGate rates = new AddressRateGate(
        new AddressBuckets(config.rateLimit(), config.rateBurst(), System::nanoTime), limits);
    this.admission = new SessionAdmission(config, guard, limits, rates, registry,
        session -> departures.execute(() -> methods.disconnected(session)), backend.connect());
    SessionFactory factory = new SessionFactory(sessions, config.outboundLimit(),
        () -> new TokenBucket(config.rateLimit(), config.rateBurst(), System::nanoTime), session -> {
          LOG.info("closing session {} with 1013: more than {} bytes of notifications not written", session.id(),
              config.outboundLimit());
          limits.tripped(LimitMetrics.SLOW_CONSUMER);
        }, backlog);
    this.webSocket = new WebSocketRoute(config, dispatcher, admission, factory, verifier);
    this.streams = new EventStreams(factory, sessions, config.nodeId());
    this.pinger = config.pingInterval() == 0 ? null
        : new Pinger(sessions, Duration.ofSeconds(config.pingInterval()), s -> limits.tripped(LimitMetrics.NO_PONG));
    this.operations = new OperationsPage(config.nodeId(), registry, () -> committer.health().isDown(), hub, sessions,
        config.adminToken(), broker instanceof NatsBroker nats ? nats.operationsChannel() : OperationsChannel.ALONE);
    var upgrade = webSocket.install(jetty);
    upgrade.setHandler(operations.routesBefore(new HttpRoutes(this::readiness, registry, dispatcher,
        methods.messages(), config.maxFrame(), verifier, rates, MetricsAccess.of(config.tokenMode(), config.adminToken()),
        new SessionRoutes(new EventsRoute(admission, streams, verifier), admission::probe, streams::callsOf))));
    this.hosts = HostPolicy.of(config.allowedHosts(), config.allowedOrigins());
    jetty.setHandler(new HostGuard(hosts, CorsPolicy.around(upgrade, config.allowedOrigins())));
  }

  /**
   * HTTP/1.1 without the {@code Server} and {@code X-Powered-By} headers: no version for scanners;
   * behind trusted proxies, each request's client address is the one they forward.
   */
  private static HttpConnectionFactory httpFactory(TrustedProxies proxies) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    if (!proxies.isEmpty()) {
      http.addCustomizer(new ForwardedClient(proxies));
    }
    return new HttpConnectionFactory(http);
  }

  private Broker openBroker(ServerConfig config, Hub to, PrometheusMeterRegistry registry) {
    if (config.natsUrl() == null) {
      return new LocalBroker(to);
    }
    try {
      return new NatsBroker(config.natsUrl(), config.nodeId(), to, store, blocking, registry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS", e);
    }
  }

  /**
   * Why the node is not ready, or {@code null} when storage and broker answer. While the committer
   * knows storage is down this answers at once; otherwise the store's own probe is bounded.
   */
  private String readiness() {
    if (committer.health().isDown() || !store.isHealthy()) {
      return "storage is not answering";
    }
    return broker.isHealthy() ? null : "the cluster broker (NATS) is not reachable";
  }

  /** Opens the store, binds the port and starts serving. */
  public static ParleyServer start(ServerConfig config) throws Exception {
    ParleyServer server = new ParleyServer(config);
    try {
      if (server.presenceEvents != null) {
        server.presenceEvents.start();
      }
      server.jetty.start();
      if (server.webhooks != null) {
        server.webhooks.start();
      }
    } catch (Exception e) {
      server.releaseStore();
      throw e;
    }
    LOG.info("Parley listening on {}:{} (ws://…:{}/ws), answering Host {}, store: {}, {}, {}, JDK {}, blocking work on {}",
        config.host(), server.port(), server.port(), server.hosts, server.store.description(),
        config.natsUrl() == null ? "single node" : "cluster node " + config.nodeId(),
        config.tokenMode() ? "token mode" : config.sessionsLocked() ? "sessions admitted by the connect proxy" : "open mode", Runtime.version(), server.blocking.kind());
    if (!server.backend.equals(Backend.OFF)) {
      LOG.info("Application backend: {}", config.proxies()); // URLs without query or user info
      for (String warning : io.parley.server.backend.BackendWarnings.of(config)) {
        LOG.warn("Application backend: {}", warning);
      }
    }
    return server;
  }

  /** The bound port (the chosen one when configured with 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public ServerConfig config() {
    return config;
  }

  /** Graceful stop; idempotent. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.info("stopping: no new connections, committing queued sends");
    admission.refuseNewSessions();
    if (pinger != null) {
      pinger.close();
    }
    streams.close();
    connector.setAccepting(false);
    committer.drain(DRAIN_MS);
    hub.drain(TimeUnit.MILLISECONDS.toNanos(FLUSH_MS));
    waitForFlush();
    // Each session gets its own wait, uniform over the window, so the clients of a restarted
    // node come back spread out instead of in one reconnect storm.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (ClientSession session : sessions.all()) {
      long wait = random.nextLong(ServerConfig.MIN_RESTART_WAIT_MS, config.restartSpreadMs() + 1L);
      session.close(CloseCodes.GOING_AWAY, CloseReasons.goingAway(wait));
    }
    awaitClosed();
    operations.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("jetty did not stop cleanly: {}", e.toString());
    }
    departures.shutdown();
    try {
      departures.awaitTermination(FLUSH_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (presenceEvents != null) {
      presenceEvents.close(); // after the departures: writes their vacated / offline events
    }
    releaseStore();
    LOG.info("stopped");
  }

  /**
   * Gives queued replies a moment to reach their clients before the sessions close, and frames the
   * clients sent before the stop a moment to be read and answered ({@code -32005} for sends now):
   * back-pressure may have left them unread in the socket.
   */
  private void waitForFlush() {
    waitUntil(() -> sessions.all().stream().allMatch(ParleyServer::settled), FLUSH_MS);
  }

  /**
   * Waits until every session has closed, at most {@link #CLOSE_WAIT_MS}: a 1001 queues behind the
   * replies a slow reader has not read yet, and stopping Jetty under it would drop them, answers to
   * stored sends among them. Sessions whose close cannot be written are aborted by then anyway.
   */
  private void awaitClosed() {
    waitUntil(() -> sessions.all().isEmpty(), CLOSE_WAIT_MS);
  }

  /** Checks {@code done} every 10 ms until it holds or {@code ms} have passed. */
  private static void waitUntil(java.util.function.BooleanSupplier done, long ms) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() < deadline && !done.getAsBoolean()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Quiet, and nothing heard for a moment: a frame being read right now leaves the session looking
   * quiet until it is handled, and the frames behind it are still in the socket.
   */
  private static boolean settled(ClientSession session) {
    return session.isQuiet() && System.nanoTime() - session.lastHeardNanos() > TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
  }

  private void releaseStore() {
    if (guard != null) {
      guard.close();
    }
    operations.close();
    committer.close();
    if (presenceEvents != null) {
      presenceEvents.close();
    }
    backend.close();
    if (webhooks != null) {
      webhooks.close();
    }
    hub.close();
    broker.close();
    blocking.close();
    store.close();
  }

  @Override
  public void close() {
    stop();
  }
}
