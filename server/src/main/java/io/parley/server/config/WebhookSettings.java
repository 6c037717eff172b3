package io.parley.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how webhooks are sent ({@code PARLEY_WEBHOOK_URL}, {@code PARLEY_WEBHOOK_SECRET},
 * {@code PARLEY_WEBHOOK_MAX_AGE_S}); checked on construction.
 *
 * @param url the backend's endpoint: an absolute http or https URL with a host
 * @param secret the HMAC-SHA256 key that signs every request; never logged nor printed, not even
 *     by {@link #toString()}
 * @param maxAge how long an event is retried before it is dropped (with a WARN line and a count)
 */
public record WebhookSettings(URI url, String secret, Duration maxAge) {

  /** How long an undeliverable event is retried by default: a day. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

  /** The longest retry age accepted: 30 days. */
  public static final long MAX_MAX_AGE_S = Duration.ofDays(30).toSeconds();

  public WebhookSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(maxAge, "maxAge");
    String problem = problem(url);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the webhook secret must not be empty");
    }
    if (maxAge.isNegative() || maxAge.isZero() || maxAge.toSeconds() > MAX_MAX_AGE_S) {
      throw new IllegalArgumentException("the webhook max age must be 1 s to " + MAX_MAX_AGE_S + " s, got " + maxAge);
    }
  }

  /** Why {@code url} cannot be a webhook endpoint, or {@code null} if it can; the URL shown {@link #redacted}. */
  static String problem(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      return "expected an absolute http or https URL (e.g. https://app.example.com/parley/events), got \""
          + redacted(url.toString()) + "\"";
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      return "expected a URL with a host name, got \"" + redacted(url.toString()) + "\"";
    }
    return null;
  }

  /**
   * A URL as configured, for an error message: its user info and its query hidden (either may hold
   * a password or a key, and start-up errors reach logs and terminals). Works on text that does
   * not parse as a URL too.
   */
  public static String redacted(String url) {
    String shown = url.replaceFirst("^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#@]*@", "$1(hidden)@");
    int query = shown.indexOf('?');
    return query < 0 ? shown : shown.substring(0, query) + "?(hidden)";
  }

  /** The URL for a log line: scheme, host, port and path, without user info or query. */
  public String displayUrl() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  @Override
  public String toString() {
    return "WebhookSettings[url=" + displayUrl() + ", secret=(hidden), maxAge=" + maxAge + "]";
  }
}
