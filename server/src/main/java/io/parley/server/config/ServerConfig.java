package io.parley.server.config;

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
 * @param outboundLimit characters of notification JSON queued for one session before it counts as too slow
 * @param natsUrl the NATS server for multi-node delivery, or {@code null} to run as a single node
 * @param nodeId this node's name in a cluster (logs, metrics, presence)
 * @param allowedOrigins browser origins allowed to open a WebSocket besides the server's own
 *     ({@code scheme://host[:port]}, or {@code *} for any); empty: same origin only
 * @param jwtSecret the HS256 secret that turns on token mode (at least {@value #MIN_SECRET_BYTES}
 *     bytes of UTF-8), or {@code null} for open mode; never logged nor printed
 * @param authTimeout token mode: how long a new WebSocket session may stay unauthenticated before
 *     it is closed with 1008 (10 s by default, as the contract says; only tests change it)
 * @param rateLimit calls per second one session (or one HTTP client address) may make, sustained
 * @param rateBurst calls one session may make at once before the rate applies (the bucket's size)
 * @param maxSessionsPerAddress open WebSocket sessions from one client address; more are refused with 429
 * @param maxRoomsPerSession rooms one session may be in at once
 * @param pingInterval seconds between the server's pings to each session; 0 turns pings off
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
    String jwtSecret,
    Duration authTimeout,
    int rateLimit,
    int rateBurst,
    int maxSessionsPerAddress,
    int maxRoomsPerSession,
    int pingInterval) {

  /** The shortest HS256 secret accepted, in bytes: the size of the SHA-256 output. */
  public static final int MIN_SECRET_BYTES = 32;

  /** The contract's deadline for a new WebSocket session to authenticate in token mode. */
  public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);

  /** Default calls per second per session. */
  public static final int DEFAULT_RATE_LIMIT = 10_000;
  /** Default burst per session. */
  public static final int DEFAULT_RATE_BURST = 20_000;
  /** Default sessions per client address. */
  public static final int DEFAULT_MAX_SESSIONS_PER_ADDRESS = 1000;
  /** Default rooms per session. */
  public static final int DEFAULT_MAX_ROOMS_PER_SESSION = 100;
  /** Default seconds between pings. */
  public static final int DEFAULT_PING_INTERVAL = 30;

  public ServerConfig {
    if (rateLimit < 1 || rateBurst < 1 || maxSessionsPerAddress < 1 || maxRoomsPerSession < 1 || pingInterval < 0) {
      throw new IllegalArgumentException("limits must be positive (ping interval >= 0), got rate=" + rateLimit
          + " burst=" + rateBurst + " sessionsPerAddress=" + maxSessionsPerAddress + " roomsPerSession="
          + maxRoomsPerSession + " pingInterval=" + pingInterval);
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (authTimeout == null || authTimeout.isNegative() || authTimeout.isZero()) {
      throw new IllegalArgumentException("authTimeout must be positive, got " + authTimeout);
    }
  }

  /** The settings before token mode existed: open mode, the default authentication deadline. */
  public ServerConfig(String host, int port, String dbUrl, String dbUser, String dbPassword, String dbSchema,
      Path dataDir, int maxText, int maxFrame, int maxBatch, long outboundLimit, String natsUrl, String nodeId,
      List<String> allowedOrigins) {
    this(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText, maxFrame, maxBatch, outboundLimit,
        natsUrl, nodeId, allowedOrigins, null, DEFAULT_AUTH_TIMEOUT);
  }

  /** The settings before issue #5's limits: those at their defaults. */
  public ServerConfig(String host, int port, String dbUrl, String dbUser, String dbPassword, String dbSchema,
      Path dataDir, int maxText, int maxFrame, int maxBatch, long outboundLimit, String natsUrl, String nodeId,
      List<String> allowedOrigins, String jwtSecret, Duration authTimeout) {
    this(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText, maxFrame, maxBatch, outboundLimit,
        natsUrl, nodeId, allowedOrigins, jwtSecret, authTimeout, DEFAULT_RATE_LIMIT, DEFAULT_RATE_BURST,
        DEFAULT_MAX_SESSIONS_PER_ADDRESS, DEFAULT_MAX_ROOMS_PER_SESSION, DEFAULT_PING_INTERVAL);
  }

  /** The defaults of every setting: open mode, embedded store under {@code ./parley-data}. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        "0.0.0.0", 8080, null, null, null, null, Path.of("parley-data"), 4096, 65536, 100,
        16L * 1024 * 1024, null, NodeIds.generate(), List.of(), null, DEFAULT_AUTH_TIMEOUT, DEFAULT_RATE_LIMIT,
        DEFAULT_RATE_BURST, DEFAULT_MAX_SESSIONS_PER_ADDRESS, DEFAULT_MAX_ROOMS_PER_SESSION, DEFAULT_PING_INTERVAL);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText,
        maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins,
        jwtSecret, authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  public ServerConfig withDatabase(String url, String user, String password, String schema) {
    return new ServerConfig(host, port, url, user, password, schema, dataDir, maxText, maxFrame,
        maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins,
        jwtSecret, authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dir, maxText,
        maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins,
        jwtSecret, authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  public ServerConfig withLimits(int text, int frame, int batch) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, text, frame,
        batch, outboundLimit, natsUrl, nodeId, allowedOrigins,
        jwtSecret, authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  public ServerConfig withNats(String url, String node) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText,
        maxFrame, maxBatch, outboundLimit, url, node, allowedOrigins, jwtSecret,
        authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  /** The same settings with {@code origins} as the browser origins allowed besides the server's own. */
  public ServerConfig withAllowedOrigins(List<String> origins) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText,
        maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, origins, jwtSecret,
        authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  /** The same settings in token mode with this HS256 secret ({@code null}: open mode). */
  public ServerConfig withJwtSecret(String secret) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText,
        maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins, secret, authTimeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  /** The same settings with another deadline for authenticating a new WebSocket session. */
  public ServerConfig withAuthTimeout(Duration timeout) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText,
        maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins, jwtSecret, timeout, rateLimit, rateBurst,
        maxSessionsPerAddress, maxRoomsPerSession, pingInterval);
  }

  /** The same settings with other per-session limits and ping interval (seconds, 0 = off). */
  public ServerConfig withSessionLimits(int rate, int burst, int sessionsPerAddress, int roomsPerSession,
      int ping) {
    return new ServerConfig(host, port, dbUrl, dbUser, dbPassword, dbSchema, dataDir, maxText,
        maxFrame, maxBatch, outboundLimit, natsUrl, nodeId, allowedOrigins, jwtSecret, authTimeout, rate, burst,
        sessionsPerAddress, roomsPerSession, ping);
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
        + " roomsPerSession=" + maxRoomsPerSession + " ping=" + pingInterval + "s"
        + (natsUrl == null ? "" : " nats=" + natsUrl + " node=" + nodeId)
        + (allowedOrigins.isEmpty() ? "" : " allowedOrigins=" + String.join(",", allowedOrigins))
        + (tokenMode() ? " auth=token mode" : " auth=open mode");
  }

  @Override
  public String toString() {
    return "ServerConfig[" + summary() + "]";
  }
}
