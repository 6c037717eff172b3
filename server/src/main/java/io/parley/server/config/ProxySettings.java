package io.parley.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The application backend's proxies (issue #18): {@code PARLEY_CONNECT_PROXY_URL}, {@code
 * PARLEY_PUBLISH_PROXY_URL} and {@code PARLEY_PROXY_TIMEOUT_MS}; checked on construction.
 *
 * @param connectUrl where {@code session.hello} is vetted, or {@code null}: no connect proxy
 * @param publishUrl where {@code chat.send} and {@code dm.send} are vetted, or {@code null}: no publish proxy
 * @param timeout how long Parley waits for the backend's answer before it answers {@code -32005}
 */
public record ProxySettings(URI connectUrl, URI publishUrl, Duration timeout) {

  /** The contract's default wait for the backend: 2 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(2_000);
  /** The shortest timeout accepted, in milliseconds. */
  public static final long MIN_TIMEOUT_MS = 10;
  /** The longest timeout accepted, in milliseconds: a minute; a call is held open this long. */
  public static final long MAX_TIMEOUT_MS = 60_000;

  /** No proxy. */
  public static final ProxySettings NONE = new ProxySettings(null, null, DEFAULT_TIMEOUT);

  public ProxySettings {
    Objects.requireNonNull(timeout, "timeout");
    for (URI url : new URI[] {connectUrl, publishUrl}) {
      String problem = url == null ? null : WebhookSettings.problem(url);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
    if (timeout.toMillis() < MIN_TIMEOUT_MS || timeout.toMillis() > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("the proxy timeout must be " + MIN_TIMEOUT_MS + " to " + MAX_TIMEOUT_MS
          + " ms, got " + timeout.toMillis() + " ms");
    }
  }

  /** The connect proxy at {@code url}, with these settings' timeout. */
  public ProxySettings withConnect(URI url) {
    return new ProxySettings(url, publishUrl, timeout);
  }

  /** The publish proxy at {@code url}, with these settings' timeout. */
  public ProxySettings withPublish(URI url) {
    return new ProxySettings(connectUrl, url, timeout);
  }

  public ProxySettings withTimeout(Duration value) {
    return new ProxySettings(connectUrl, publishUrl, value);
  }

  /** A URL for a log line: scheme, host, port and path, without user info or query (which may hold a key). */
  public static String display(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  @Override
  public String toString() {
    return "ProxySettings[connect=" + (connectUrl == null ? "off" : display(connectUrl)) + ", publish="
        + (publishUrl == null ? "off" : display(publishUrl)) + ", timeout=" + timeout.toMillis() + "ms]";
  }
}
