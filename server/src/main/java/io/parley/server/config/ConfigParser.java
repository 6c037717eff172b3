package io.parley.server.config;

import io.parley.server.config.ServerConfig.LogFormat;
import io.parley.server.http.HostPolicy;
import io.parley.server.http.OriginPolicy;
import io.parley.server.http.TrustedProxies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link ServerConfig} from environment variables and command-line flags (a flag wins over
 * its variable). Every setting has both forms; {@link #help()} lists them. Values are checked
 * here so a bad one stops the start with one clear line instead of failing later.
 */
public final class ConfigParser {

  private record Option(String env, String flag, String meaning) {}

  private static final List<Option> OPTIONS =
      List.of(
          new Option("PARLEY_HOST", "--host", "address to bind (default 0.0.0.0)"),
          new Option("PARLEY_PORT", "--port", "port; 0 picks a free one (default 8080)"),
          new Option("PARLEY_DB_URL", "--db-url", "PostgreSQL JDBC URL; unset = embedded store"),
          new Option("PARLEY_DB_USER", "--db-user", "database user"),
          new Option("PARLEY_DB_PASSWORD", "--db-password", "database password"),
          new Option("PARLEY_DB_SCHEMA", "--db-schema", "schema to use (default: the database's)"),
          new Option("PARLEY_DATA_DIR", "--data-dir", "embedded store folder (default ./parley-data)"),
          new Option("PARLEY_MAX_TEXT", "--max-text", "longest text in characters (default 4096)"),
          new Option("PARLEY_MAX_FRAME", "--max-frame", "largest client frame or body in bytes (default 65536)"),
          new Option("PARLEY_MAX_BATCH", "--max-batch", "most requests in one batch (default 100)"),
          new Option("PARLEY_OUTBOUND_LIMIT", "--outbound-limit",
              "bytes of notifications waiting for one session before it is closed with 1013 (default 4194304)"),
          new Option("PARLEY_NATS_URL", "--nats-url", "NATS server for multi-node delivery; unset = one node"),
          new Option("PARLEY_NODE_ID", "--node-id", "this node's name in a cluster (default: random)"),
          new Option("PARLEY_ALLOWED_ORIGINS", "--allowed-origins",
              "other web origins that may open /ws, comma-separated (e.g. https://app.example.com);"
                  + " * = any; the server's own origin is always allowed"),
          new Option("PARLEY_ALLOWED_HOSTS", "--allowed-hosts",
              "host names (Host header, any port) answered besides localhost, IP addresses and the"
                  + " allowed origins' hosts, comma-separated (e.g. chat.example.com); * = any; others get 421"),
          new Option("PARLEY_JWT_SECRET", "--jwt-secret",
              "HS256 secret (at least 32 bytes) that turns on token mode; unset = open mode"),
          new Option("PARLEY_RATE_LIMIT", "--rate-limit", "calls per second per session, and per client address over HTTP (calls, /api requests, upgrades) (default 10000)"),
          new Option("PARLEY_RATE_BURST", "--rate-burst", "calls allowed at once before the rate applies (default 20000)"),
          new Option("PARLEY_MAX_SESSIONS_PER_ADDRESS", "--max-sessions-per-address",
              "open WebSocket sessions per client address (default 1000)"),
          new Option("PARLEY_MAX_ROOMS_PER_SESSION", "--max-rooms-per-session", "rooms one session may be in (default 100)"),
          new Option("PARLEY_PING_INTERVAL", "--ping-interval",
              "seconds between pings to each session; 2 intervals without an answer close it; 0 = off (default 30)"),
          new Option("PARLEY_RESTART_SPREAD", "--restart-spread",
              "milliseconds: on shutdown each session is told to wait a random 500 ms up to this"
                  + " before reconnecting (500-60000, default 5000)"),
          new Option("PARLEY_LOG_LEVEL", "--log-level",
              "level of Parley's own log lines: trace, debug, info, warn or error (default info)"),
          new Option("PARLEY_LOG_FORMAT", "--log-format",
              "text (one line, ISO-8601 UTC time) or json (one JSON object per line) (default text)"),
          new Option("PARLEY_COMPRESSION", "--compression",
              "on: /ws accepts permessage-deflate when a client offers it; off: never (default on)"),
          new Option("PARLEY_ADMIN_TOKEN", "--admin-token",
              "the Bearer token (at least 32 bytes) of the /admin page in any mode and of /metrics in token mode;"
                  + " unset: those answer loopback clients only"),
          new Option("PARLEY_ACCESS_LOG", "--access-log",
              "on: one line per HTTP request on the logger io.parley.access, paths without their query (default off)"),
          new Option("PARLEY_TRUSTED_PROXIES", "--trusted-proxies",
              "proxies (addresses or CIDRs, IPv4 or IPv6, comma-separated, e.g. 10.0.0.0/8,::1) whose"
                  + " X-Forwarded-For / Forwarded headers give the client address; others' are ignored (default none)"),
          new Option("PARLEY_WEBHOOK_URL", "--webhook-url",
              "http(s) URL that every event is POSTed to (with PARLEY_WEBHOOK_SECRET: turns webhooks on)"),
          new Option("PARLEY_WEBHOOK_SECRET", "--webhook-secret",
              "HMAC-SHA256 key of the Parley-Signature header of webhook requests (with PARLEY_WEBHOOK_URL)"),
          new Option("PARLEY_WEBHOOK_MAX_AGE_S", "--webhook-max-age-s",
              "seconds an undeliverable webhook event is retried before it is dropped (default 86400)"),
          new Option("PARLEY_CONNECT_PROXY_URL", "--connect-proxy-url",
              "http(s) URL of the app backend that admits users: session.hello's credentials and the"
                  + " cookies are POSTed there (alone, or beside PARLEY_JWT_SECRET: a token is tried first)"),
          new Option("PARLEY_PUBLISH_PROXY_URL", "--publish-proxy-url",
              "http(s) URL of the app backend that allows, rewrites or refuses each chat.send and dm.send"
                  + " before it is stored"),
          new Option("PARLEY_PROXY_TIMEOUT_MS", "--proxy-timeout-ms",
              "milliseconds to wait for the connect or publish proxy before answering -32005 (default 2000)"));

  private ConfigParser() {}

  /** The text printed by {@code --help}. */
  public static String help() {
    StringBuilder out = new StringBuilder("Usage: java -jar parley-server.jar [options]\n\n");
    out.append("Each option can also be set by its environment variable; a flag wins.\n\n");
    for (Option o : OPTIONS) {
      out.append(String.format("  %-20s %-24s %s%n", o.flag + " V", o.env, o.meaning));
    }
    out.append(String.format("  %-20s %-24s %s%n", "--version", "", "print the version and exit"));
    out.append(String.format("  %-20s %-24s %s%n", "--help", "", "print this and exit"));
    return out.toString();
  }

  public static boolean wantsHelp(String[] args) {
    return List.of(args).contains("--help") || List.of(args).contains("-h");
  }

  public static boolean wantsVersion(String[] args) {
    return List.of(args).contains("--version");
  }

  public static ServerConfig parse(String[] args, Map<String, String> env) throws ConfigException {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      String value = env.get(o.env);
      if (value != null && !value.isBlank()) {
        values.put(o.env, value.trim());
      }
    }
    for (int i = 0; i < args.length; i++) {
      Option option = byFlag(args[i]);
      if (i + 1 >= args.length) {
        throw new ConfigException(args[i] + " needs a value (see --help)");
      }
      values.put(option.env, args[++i]);
    }
    ServerConfig d = ServerConfig.defaults();
    return new ServerConfig(
        values.getOrDefault("PARLEY_HOST", d.host()),
        (int) number(values, "PARLEY_PORT", d.port(), 0, 65535),
        values.get("PARLEY_DB_URL"),
        values.get("PARLEY_DB_USER"),
        values.get("PARLEY_DB_PASSWORD"),
        values.get("PARLEY_DB_SCHEMA"),
        Path.of(values.getOrDefault("PARLEY_DATA_DIR", d.dataDir().toString())),
        (int) number(values, "PARLEY_MAX_TEXT", d.maxText(), 1, 1_000_000),
        (int) number(values, "PARLEY_MAX_FRAME", d.maxFrame(), 1024, 64 * 1024 * 1024),
        (int) number(values, "PARLEY_MAX_BATCH", d.maxBatch(), 1, 10_000),
        number(values, "PARLEY_OUTBOUND_LIMIT", d.outboundLimit(), 64 * 1024, 1L << 32),
        values.get("PARLEY_NATS_URL"),
        nodeId(values.getOrDefault("PARLEY_NODE_ID", d.nodeId())),
        origins(values.get("PARLEY_ALLOWED_ORIGINS")),
        hosts(values.get("PARLEY_ALLOWED_HOSTS")),
        jwtSecret(values.get("PARLEY_JWT_SECRET")),
        d.authTimeout(),
        (int) number(values, "PARLEY_RATE_LIMIT", d.rateLimit(), 1, 1_000_000),
        (int) number(values, "PARLEY_RATE_BURST", d.rateBurst(), 1, 1_000_000),
        (int) number(values, "PARLEY_MAX_SESSIONS_PER_ADDRESS", d.maxSessionsPerAddress(), 1, 1_000_000),
        (int) number(values, "PARLEY_MAX_ROOMS_PER_SESSION", d.maxRoomsPerSession(), 1, 1_000_000),
        (int) number(values, "PARLEY_PING_INTERVAL", d.pingInterval(), 0, 86_400),
        (int) number(values, "PARLEY_RESTART_SPREAD", d.restartSpreadMs(), ServerConfig.MIN_RESTART_WAIT_MS,
            ServerConfig.MAX_RESTART_SPREAD_MS),
        logLevel(values.getOrDefault("PARLEY_LOG_LEVEL", d.logLevel())),
        logFormat(values.get("PARLEY_LOG_FORMAT"), d.logFormat()),
        onOff("PARLEY_COMPRESSION", values.get("PARLEY_COMPRESSION"), d.compression()),
        adminToken(values.get("PARLEY_ADMIN_TOKEN")),
        onOff("PARLEY_ACCESS_LOG", values.get("PARLEY_ACCESS_LOG"), d.accessLog()),
        trustedProxies(values.get("PARLEY_TRUSTED_PROXIES")),
        webhooks(values),
        proxies(values));
  }

  /** The connect and publish proxies; {@link ProxySettings#NONE} when neither URL is set. */
  private static ProxySettings proxies(Map<String, String> values) throws ConfigException {
    long timeout = number(values, "PARLEY_PROXY_TIMEOUT_MS", ProxySettings.DEFAULT_TIMEOUT.toMillis(),
        ProxySettings.MIN_TIMEOUT_MS, ProxySettings.MAX_TIMEOUT_MS);
    return new ProxySettings(url(values, "PARLEY_CONNECT_PROXY_URL"), url(values, "PARLEY_PUBLISH_PROXY_URL"),
        java.time.Duration.ofMillis(timeout));
  }

  /** An optional absolute http(s) URL setting, or {@code null} when unset. */
  private static java.net.URI url(Map<String, String> values, String name) throws ConfigException {
    String url = values.get(name);
    if (url == null) {
      return null;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(name + ": not a URL (" + e.getReason() + "): \"" + WebhookSettings.redacted(url) + "\"");
    }
    String problem = WebhookSettings.problem(uri);
    if (problem != null) {
      throw new ConfigException(name + ": " + problem);
    }
    return uri;
  }

  /** Webhook settings, or null when neither URL nor secret is set; one without the other is an error. */
  private static WebhookSettings webhooks(Map<String, String> values) throws ConfigException {
    String url = values.get("PARLEY_WEBHOOK_URL");
    String secret = values.get("PARLEY_WEBHOOK_SECRET");
    long maxAge = number(values, "PARLEY_WEBHOOK_MAX_AGE_S", WebhookSettings.DEFAULT_MAX_AGE.toSeconds(), 1,
        WebhookSettings.MAX_MAX_AGE_S);
    if (url == null && secret == null) {
      return null;
    }
    if (url == null || secret == null) {
      throw new ConfigException("webhooks need both PARLEY_WEBHOOK_URL and PARLEY_WEBHOOK_SECRET; only "
          + (url == null ? "PARLEY_WEBHOOK_SECRET" : "PARLEY_WEBHOOK_URL") + " is set");
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("PARLEY_WEBHOOK_URL: not a URL (" + e.getReason() + "): \""
          + WebhookSettings.redacted(url) + "\"");
    }
    String problem = WebhookSettings.problem(uri);
    if (problem != null) {
      throw new ConfigException("PARLEY_WEBHOOK_URL: " + problem);
    }
    return new WebhookSettings(uri, secret, java.time.Duration.ofSeconds(maxAge));
  }

  private static String adminToken(String value) throws ConfigException {
    if (value == null) {
      return null;
    }
    if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < ServerConfig.MIN_SECRET_BYTES) {
      throw new ConfigException("PARLEY_ADMIN_TOKEN: expected at least " + ServerConfig.MIN_SECRET_BYTES
          + " bytes, got " + value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
    return value;
  }

  private static boolean onOff(String name, String value, boolean fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new ConfigException(name + ": expected on or off, got \"" + value + "\"");
    };
  }

  private static String logLevel(String value) throws ConfigException {
    String level = value.trim().toUpperCase(Locale.ROOT);
    if (!ServerConfig.LOG_LEVELS.contains(level)) {
      throw new ConfigException("PARLEY_LOG_LEVEL: expected trace, debug, info, warn or error, got \"" + value + "\"");
    }
    return level;
  }

  private static LogFormat logFormat(String value, LogFormat fallback) throws ConfigException {
    if (value == null) {
      return fallback;
    }
    for (LogFormat format : LogFormat.values()) {
      if (format.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new ConfigException("PARLEY_LOG_FORMAT: expected text or json, got \"" + value + "\"");
  }

  /** A comma-separated list of origins, each checked and put in canonical form; {@code *} stays. */
  private static List<String> origins(String value) throws ConfigException {
    return list("PARLEY_ALLOWED_ORIGINS", value, "https://app.example.com,http://localhost:3000",
        origin -> OriginPolicy.ANY.equals(origin) ? origin : OriginPolicy.canonical(origin));
  }

  /** A comma-separated list of host names, each checked and put in canonical form; {@code *} stays. */
  private static List<String> hosts(String value) throws ConfigException {
    return list("PARLEY_ALLOWED_HOSTS", value, "chat.example.com,parley-a",
        host -> HostPolicy.ANY.equals(host) ? host : HostPolicy.canonical(host));
  }

  /** A comma-separated list of addresses and CIDR ranges, each checked and put in canonical form. */
  private static List<String> trustedProxies(String value) throws ConfigException {
    return list("PARLEY_TRUSTED_PROXIES", value, "172.16.0.0/12,10.1.2.3,fd00::/8", TrustedProxies::canonical);
  }

  /**
   * The entries of a comma-separated setting, each put in canonical form by {@code canonical}
   * (which throws {@link IllegalArgumentException} for a bad one); empty entries are refused.
   */
  private static List<String> list(String name, String value, String example,
      java.util.function.UnaryOperator<String> canonical) throws ConfigException {
    List<String> entries = new ArrayList<>();
    if (value == null) {
      return entries;
    }
    for (String part : value.split(",", -1)) {
      String entry = part.trim();
      if (entry.isEmpty()) {
        throw new ConfigException(name + ": empty entry in \"" + value + "\"; expected a comma-separated list like "
            + example);
      }
      try {
        entries.add(canonical.apply(entry));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name + ": " + e.getMessage());
      }
    }
    return entries;
  }

  /** The secret as given, if long enough; the message never repeats it. */
  private static String jwtSecret(String value) throws ConfigException {
    if (value == null) {
      return null;
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < ServerConfig.MIN_SECRET_BYTES) {
      throw new ConfigException("PARLEY_JWT_SECRET: expected at least " + ServerConfig.MIN_SECRET_BYTES
          + " bytes (HS256 needs a key as long as its hash), got " + bytes);
    }
    return value;
  }

  private static String nodeId(String value) throws ConfigException {
    if (!value.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new ConfigException("PARLEY_NODE_ID: expected 1-64 characters of A-Z a-z 0-9 _ -, got \"" + value + "\"");
    }
    return value;
  }

  private static Option byFlag(String arg) throws ConfigException {
    for (Option o : OPTIONS) {
      if (o.flag.equals(arg)) {
        return o;
      }
    }
    throw new ConfigException("unknown option " + arg + " (see --help)");
  }

  private static long number(Map<String, String> values, String env, long fallback, long min, long max)
      throws ConfigException {
    String raw = values.get(env);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the expected range
    }
    throw new ConfigException(env + ": expected an integer from " + min + " to " + max + ", got \"" + raw + "\"");
  }
}
