package io.parley.server.backend;

import io.parley.server.config.ServerConfig;
import io.parley.server.http.OriginPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up warnings of a proxy configuration that runs but is weaker than it looks; logged
 * once at WARN by the server, and listed in {@code docs/integration.md}. Why warnings and not
 * refusals: both setups have safe uses (a backend on a private network; a connect proxy that
 * admits by credentials, not cookies), which only the operator can tell apart. Stateless.
 */
public final class BackendWarnings {
  private BackendWarnings() {}

  /** What is weak about {@code config}'s proxies; empty when nothing is (or no proxy is configured). */
  public static List<String> of(ServerConfig config) {
    List<String> warnings = new ArrayList<>();
    var proxies = config.proxies();
    boolean anyProxy = proxies.connectUrl() != null || proxies.publishUrl() != null;
    if (proxies.connectUrl() != null && config.allowedOrigins().contains(OriginPolicy.ANY)) {
      warnings.add("PARLEY_ALLOWED_ORIGINS=* with a connect proxy: any web page can open a session in a visitor's"
          + " browser, whose upgrade carries the visitor's cookies for this server; if your connect proxy admits by"
          + " cookie, that page acts as the visitor (cross-site WebSocket hijacking). List your pages' origins"
          + " instead, or admit by credentials only");
    }
    if (anyProxy && config.webhooks() == null) {
      warnings.add("proxy requests are not signed (no PARLEY_WEBHOOK_URL and PARLEY_WEBHOOK_SECRET): they carry only"
          + " Parley-Timestamp, so your backend cannot tell them from anyone else's requests; keep the proxy"
          + " endpoints on a private network, or configure webhooks to get Parley-Signature");
    }
    return warnings;
  }
}
