package io.parley.server.config;

import io.parley.protocol.CloseReasons;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The server's settings, validated by {@link ConfigParser} and frozen here before anything starts.
 *
 * @param host the address to bind
 * @param port the port, 0 for any free one
 * @param dbUrl the JDBC URL of PostgreSQL, or {@code null} for the embedded store
 * @param dbUser the database user, or {@code null}
 * @param dbPassword the database password, or {@code null}; never logged
 * @param dbSchema the schema to use and migrate, or {@code null} for the database's default
 * @param dataDir where the embedded store keeps its files
 * @param maxText the longest {@code text}, in characters (code points)
 * @param maxFrame the largest WebSocket frame or HTTP body from a client, in bytes
 * @param maxBatch the most requests in one JSON-RPC batch
 * @param outboundLimit bytes of notification JSON (UTF-8) queued for one session before it counts as too slow
 * @param natsUrl the NATS server for multi-node delivery, or {@code null} to run as a single node
 * @param nodeId this node's name in a cluster (logs, metrics, presence)
 * @param allowedOrigins browser origins allowed to open a WebSocket besides the server's own
 *     ({@code scheme://host[:port]}, or {@code *} for any); empty: same origin only
 * @param allowedHosts host names (lower case, no port) this server answers for besides loopback
 *     names, IP addresses and the allowed origins' hosts, or {@code *} for any (see
 *     {@code http.HostPolicy}); empty: only those
 * @param jwtSecret the HS256 secret that turns on token mode (at least {@value #MIN_SECRET_BYTES}
 *     bytes of UTF-8), or {@code null} for open mode; never logged nor printed
 * @param authTimeout token mode: how long a new WebSocket session may stay unauthenticated before
 *     it is closed with 1008 (10 s by default, as the contract says; only tests change it)
 * @param rateLimit calls per second one session (or one HTTP client address) may make, sustained
 * @param rateBurst calls one session may make at once before the rate applies (the bucket's size)
 * @param maxSessionsPerAddress open WebSocket sessions from one client address; more are refused with 429
 * @param maxRoomsPerSession rooms one session may be in at once
 * @param pingInterval seconds between the server's pings to each session; 0 turns pings off
 * @param restartSpreadMs on shutdown each session is told (in its 1001 close reason) to wait a
 *     random time from {@value #MIN_RESTART_WAIT_MS} ms up to this many milliseconds before
 *     reconnecting, so the clients of a restarted node come back spread out, not all at once
 * @param logLevel the level of Parley's own loggers, upper case ({@code TRACE}, {@code DEBUG},
 *     {@code INFO}, {@code WARN}, {@code ERROR}); applied by {@code Main} before anything logs
 * @param logFormat how log lines are written: {@link LogFormat#TEXT} or {@link LogFormat#JSON}
 * @param adminToken {@code PARLEY_ADMIN_TOKEN}: in token mode, the Bearer token {@code /metrics}
 *     needs (at least {@value #MIN_SECRET_BYTES} bytes); {@code null}: only loopback clients read it
 * @param accessLog whether every HTTP request (upgrades included) gets a line on the logger
 *     {@code io.parley.access}: address, method, path without its query, status, bytes, time
 * @param compression whether {@code /ws} accepts permessage-deflate (RFC 7692) when a client offers
 *     it; off, the offer is declined and every frame travels as it is
 * @param trustedProxies {@code PARLEY_TRUSTED_PROXIES}: addresses and CIDR ranges in canonical form
 *     whose {@code X-Forwarded-For} / {@code Forwarded} headers name the client (see
 *     {@code io.parley.server.http.ForwardedClient}); empty: every peer is its own client
 * @param webhooks where events are POSTed ({@code PARLEY_WEBHOOK_*}), or {@code null}: webhooks off
 * @param proxies the application backend's connect and publish proxies ({@code PARLEY_*_PROXY_URL},
 *     {@code PARLEY_PROXY_TIMEOUT_MS}); {@link ProxySettings#NONE} when neither is configured
 */
public record ServerConfig(
    String host,
    int port,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String dbSchema,
    Path dataDir,
    int maxText,
    int maxFrame,
    int maxBatch,
    long outboundLimit,
    String natsUrl,
    String nodeId,
    List<String> allowedOrigins,
    List<String> allowedHosts,
    String jwtSecret,
    Duration authTimeout,
    int rateLimit,
    int rateBurst,
    int maxSessionsPerAddress,
    int maxRoomsPerSession,
    int pingInterval,
    int restartSpreadMs,
    String logLevel,
    LogFormat logFormat,
    boolean compression,
    String adminToken,
    boolean accessLog,
    List<String> trustedProxies,
    WebhookSettings webhooks,
    ProxySettings proxies) {

  /** How log lines are written: one line of text, or one JSON object per line (Logback's {@code JsonEncoder}). */
  public enum LogFormat {
    TEXT, JSON;

    /** The name used in {@code PARLEY_LOG_FORMAT} and in the Logback configuration. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The log levels accepted, in the order of their verbosity. */
  public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /** The shortest HS256 secret accepted, in bytes: the size of the SHA-256 output. */
  public static final int MIN_SECRET_BYTES = 32;

  /** The contract's deadline for a new WebSocket session to authenticate in token mode. */
  public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);

  /** Default calls per second per session. */
  public static final int DEFAULT_RATE_LIMIT = 10_000;
  /**
   * 4 MiB of notification JSON: about a thousand full-length messages behind. Bigger only lets a
   * stalled client hold more of the heap before it is told to recover with {@code since}.
   */
  public static final long DEFAULT_OUTBOUND_LIMIT = 4L * 1024 * 1024;
  /** Default burst per session. */
  public static final int DEFAULT_RATE_BURST = 20_000;
  /** Default sessions per client address. */
  public static final int DEFAULT_MAX_SESSIONS_PER_ADDRESS = 1000;
  /** Default rooms per session. */
  public static final int DEFAULT_MAX_ROOMS_PER_SESSION = 100;
  /** Default seconds between pings. */
  public static final int DEFAULT_PING_INTERVAL = 30;
  /** Default longest wait announced to a session on shutdown, in milliseconds. */
  public static final int DEFAULT_RESTART_SPREAD_MS = 5_000;
  /**
   * The shortest wait announced on shutdown, in milliseconds: enough for the process to exit and
   * (under an orchestrator) its successor to bind, so no client's first attempt is wasted.
   */
  public static final int MIN_RESTART_WAIT_MS = 500;
  /** The longest spread accepted: what clients honour at most ({@link CloseReasons#MAX_RETRY_AFTER_MS}). */
  public static final int MAX_RESTART_SPREAD_MS = (int) CloseReasons.MAX_RETRY_AFTER_MS;

  public ServerConfig {
    proxies = proxies == null ? ProxySettings.NONE : proxies;
    if (rateLimit < 1 || rateBurst < 1 || maxSessionsPerAddress < 1 || maxRoomsPerSession < 1 || pingInterval < 0) {
      throw new IllegalArgumentException("limits must be positive (ping interval >= 0), got rate=" + rateLimit
          + " burst=" + rateBurst + " sessionsPerAddress=" + maxSessionsPerAddress + " roomsPerSession="
          + maxRoomsPerSession + " pingInterval=" + pingInterval);
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedHosts = List.copyOf(allowedHosts);
    trustedProxies = List.copyOf(trustedProxies);
    if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (authTimeout == null || authTimeout.isNegative() || authTimeout.isZero()) {
      throw new IllegalArgumentException("authTimeout must be positive, got " + authTimeout);
    }
    if (restartSpreadMs < MIN_RESTART_WAIT_MS || restartSpreadMs > MAX_RESTART_SPREAD_MS) {
      throw new IllegalArgumentException("restartSpreadMs must be from " + MIN_RESTART_WAIT_MS + " to "
          + MAX_RESTART_SPREAD_MS + ", got " + restartSpreadMs);
    }
    if (!LOG_LEVELS.contains(logLevel) || logFormat == null) {
      throw new IllegalArgumentException("logLevel must be one of " + LOG_LEVELS + " and logFormat set, got "
          + logLevel + " and " + logFormat);
    }
  }

  /** The defaults of every setting: open mode, embedded store under {@code ./parley-data}. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        "0.0.0.0", 8080, null, null, null, null, Path.of("parley-data"), 4096, 65536, 100,
        DEFAULT_OUTBOUND_LIMIT, null, NodeIds.generate(), List.of(), List.of(), null, DEFAULT_AUTH_TIMEOUT, DEFAULT_RATE_LIMIT,
        DEFAULT_RATE_BURST, DEFAULT_MAX_SESSIONS_PER_ADDRESS, DEFAULT_MAX_ROOMS_PER_SESSION, DEFAULT_PING_INTERVAL,
        DEFAULT_RESTART_SPREAD_MS, "INFO", LogFormat.TEXT, true, null, false, List.of(), null,
        ProxySettings.NONE);
  }

  /** A builder holding these settings, to change some of them; validation runs again on build. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public ServerConfig withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  public ServerConfig withDatabase(String url, String user, String password, String schema) {
    return toBuilder().dbUrl(url).dbUser(user).dbPassword(password).dbSchema(schema).build();
  }

  public ServerConfig withDataDir(Path dir) {
    return toBuilder().dataDir(dir).build();
  }

  public ServerConfig withNats(String url, String node) {
    return toBuilder().natsUrl(url).nodeId(node).build();
  }

  /** The same settings with {@code origins} as the browser origins allowed besides the server's own. */
  public ServerConfig withAllowedOrigins(List<String> origins) {
    return toBuilder().allowedOrigins(origins).build();
  }

  /** The same settings with {@code hosts} as the host names answered besides the defaults. */
  public ServerConfig withAllowedHosts(List<String> hosts) {
    return toBuilder().allowedHosts(hosts).build();
  }

  /** The same settings in token mode with this HS256 secret ({@code null}: open mode). */
  public ServerConfig withJwtSecret(String secret) {
    return toBuilder().jwtSecret(secret).build();
  }

  /** The same settings with another deadline for authenticating a new WebSocket session. */
  public ServerConfig withAuthTimeout(Duration timeout) {
    return toBuilder().authTimeout(timeout).build();
  }

  /** The same settings with other per-session limits and ping interval (seconds, 0 = off). */
  public ServerConfig withSessionLimits(int rate, int burst, int sessionsPerAddress, int roomsPerSession,
      int ping) {
    return toBuilder().rateLimit(rate).rateBurst(burst).maxSessionsPerAddress(sessionsPerAddress)
        .maxRoomsPerSession(roomsPerSession).pingInterval(ping).build();
  }

  /**
   * Changes some settings of a {@link ServerConfig}; the one place that lists every component
   * besides the record itself, so a new setting is added here once instead of in every
   * {@code with*} method. Not thread-safe; use it where it is made.
   */
  public static final class Builder {
    private String host;
    private int port;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private String dbSchema;
    private Path dataDir;
    private int maxText;
    private int maxFrame;
    private int maxBatch;
    private long outboundLimit;
    private String natsUrl;
    private String nodeId;
    private List<String> allowedOrigins;
    private List<String> allowedHosts;
    private String jwtSecret;
    private Duration authTimeout;
    private int rateLimit;
    private int rateBurst;
    private int maxSessionsPerAddress;
    private int maxRoomsPerSession;
    private int pingInterval;
    private int restartSpreadMs;
    private String logLevel;
    private LogFormat logFormat;
    private boolean compression;
    private String adminToken;
    private boolean accessLog;
    private List<String> trustedProxies;
    private WebhookSettings webhooks;
    private ProxySettings proxies;

    private Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      dbUrl = c.dbUrl;
      dbUser = c.dbUser;
      dbPassword = c.dbPassword;
      dbSchema = c.dbSchema;
      dataDir = c.dataDir;
      maxText = c.maxText;
      maxFrame = c.maxFrame;
      maxBatch = c.maxBatch;
      outboundLimit = c.outboundLimit;
      natsUrl = c.natsUrl;
      nodeId = c.nodeId;
      allowedOrigins = c.allowedOrigins;
      allowedHosts = c.allowedHosts;
      jwtSecret = c.jwtSecret;
      authTimeout = c.authTimeout;
      rateLimit = c.rateLimit;
      rateBurst = c.rateBurst;
      maxSessionsPerAddress = c.maxSessionsPerAddress;
      maxRoomsPerSession = c.maxRoomsPerSession;
      pingInterval = c.pingInterval;
      restartSpreadMs = c.restartSpreadMs;
      logLevel = c.logLevel;
      logFormat = c.logFormat;
      compression = c.compression;
      adminToken = c.adminToken;
      accessLog = c.accessLog;
      trustedProxies = c.trustedProxies;
      webhooks = c.webhooks;
      proxies = c.proxies;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder dbUrl(String value) {
      dbUrl = value;
      return this;
    }

    public Builder dbUser(String value) {
      dbUser = value;
      return this;
    }

    public Builder dbPassword(String value) {
      dbPassword = value;
      return this;
    }

    public Builder dbSchema(String value) {
      dbSchema = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder maxText(int value) {
      maxText = value;
      return this;
    }

    public Builder maxFrame(int value) {
      maxFrame = value;
      return this;
    }

    public Builder maxBatch(int value) {
      maxBatch = value;
      return this;
    }

    public Builder outboundLimit(long value) {
      outboundLimit = value;
      return this;
    }

    public Builder natsUrl(String value) {
      natsUrl = value;
      return this;
    }

    public Builder nodeId(String value) {
      nodeId = value;
      return this;
    }

    public Builder allowedOrigins(List<String> value) {
      allowedOrigins = value;
      return this;
    }

    public Builder allowedHosts(List<String> value) {
      allowedHosts = value;
      return this;
    }

    public Builder jwtSecret(String value) {
      jwtSecret = value;
      return this;
    }

    public Builder authTimeout(Duration value) {
      authTimeout = value;
      return this;
    }

    public Builder rateLimit(int value) {
      rateLimit = value;
      return this;
    }

    public Builder rateBurst(int value) {
      rateBurst = value;
      return this;
    }

    public Builder maxSessionsPerAddress(int value) {
      maxSessionsPerAddress = value;
      return this;
    }

    public Builder maxRoomsPerSession(int value) {
      maxRoomsPerSession = value;
      return this;
    }

    public Builder pingInterval(int value) {
      pingInterval = value;
      return this;
    }

    public Builder restartSpreadMs(int value) {
      restartSpreadMs = value;
      return this;
    }

    public Builder logLevel(String value) {
      logLevel = value;
      return this;
    }

    public Builder logFormat(LogFormat value) {
      logFormat = value;
      return this;
    }

    public Builder accessLog(boolean value) {
      accessLog = value;
      return this;
    }

    public Builder trustedProxies(List<String> value) {
      trustedProxies = value;
      return this;
    }

    public Builder adminToken(String value) {
      adminToken = value;
      return this;
    }

    /** Webhook settings, or {@code null} for none. */
    public Builder webhooks(WebhookSettings value) {
      webhooks = value;
      return this;
    }

    /** The connect and publish proxies; {@link ProxySettings#NONE} for none. */
    public Builder proxies(ProxySettings value) {
      proxies = value;
      return this;
    }

    public Builder compression(boolean value) {
      compression = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir,
          maxText, maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins, allowedHosts,
          jwtSecret, authTimeout, rateLimit, rateBurst, maxSessionsPerAddress, maxRoomsPerSession, pingInterval,
          restartSpreadMs, logLevel, logFormat, compression, adminToken, accessLog, trustedProxies, webhooks,
          proxies);
    }
  }

  /**
   * True when sessions start locked until {@code session.hello} authenticates them: with a JWT
   * secret (token mode), a connect proxy, or both.
   */
  public boolean sessionsLocked() {
    return tokenMode() || proxies.connectUrl() != null;
  }

  /** True when a JWT secret is configured: clients must authenticate with a token. */
  public boolean tokenMode() {
    return jwtSecret != null;
  }

  /** A one-line summary for the startup log, without the password or the JWT secret. */
  public String summary() {
    return "host=" + host + " port=" + port + " store=" + (dbUrl == null ? "embedded:" + dataDir : dbUrl)
        + " maxText=" + maxText + " maxFrame=" + maxFrame + " maxBatch=" + maxBatch
        + " rate=" + rateLimit + "/s burst=" + rateBurst + " sessionsPerAddress=" + maxSessionsPerAddress
        + " roomsPerSession=" + maxRoomsPerSession + " ping=" + pingInterval + "s restartSpread=" + restartSpreadMs + "ms"
        + " log=" + logLevel + "/" + logFormat.wireName() + " compression=" + (compression ? "on" : "off")
        + (adminToken == null ? "" : " adminToken=set") + (accessLog ? " accessLog=on" : "")
        + (natsUrl == null ? "" : " nats=" + natsUrl + " node=" + nodeId)
        + (allowedOrigins.isEmpty() ? "" : " allowedOrigins=" + String.join(",", allowedOrigins))
        + (allowedHosts.isEmpty() ? "" : " allowedHosts=" + String.join(",", allowedHosts))
        + (trustedProxies.isEmpty() ? "" : " trustedProxies=" + String.join(",", trustedProxies))
        + (webhooks == null ? "" : " webhooks=" + webhooks.displayUrl() + " maxAge=" + webhooks.maxAge().toSeconds() + "s")
        + (proxies.connectUrl() == null ? "" : " connectProxy=" + ProxySettings.display(proxies.connectUrl()))
        + (proxies.publishUrl() == null ? "" : " publishProxy=" + ProxySettings.display(proxies.publishUrl()))
        + (proxies.connectUrl() == null && proxies.publishUrl() == null ? ""
            : " proxyTimeout=" + proxies.timeout().toMillis() + "ms")
        + (tokenMode() ? " auth=token mode" : " auth=open mode");
  }

  @Override
  public String toString() {
    return "ServerConfig[" + summary() + "]";
  }
}
