package io.parley.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Which browser pages may open a WebSocket to this server. A browser sends the page's origin in
 * the {@code Origin} header of the upgrade request; without this check any web site a user visits
 * could talk to Parley in the user's name. The rules, in order:
 *
 * <ol>
 *   <li>no {@code Origin} header: allowed (not a browser: scripts, SDKs, other servers);
 *   <li>the request's own origin (its scheme plus its {@code Host} header, default ports
 *       folded): allowed, so the page served by this server always works;
 *   <li>an origin in the configured list, or any origin when the list holds {@code *}: allowed;
 *   <li>anything else, {@code Origin: null} and malformed values included: refused.
 * </ol>
 *
 * <p>Origins are compared in a canonical form: lower-case scheme and host, the port left out
 * when it is the scheme's default ({@code http://a.example:80} equals {@code http://a.example}).
 * Immutable and thread-safe.
 */
public final class OriginPolicy {
  /** The list entry that allows every origin. */
  public static final String ANY = "*";

  private final Set<String> allowed;
  private final boolean any;

  private OriginPolicy(Set<String> allowed, boolean any) {
    this.allowed = allowed;
    this.any = any;
  }

  /**
   * A policy allowing the given origins besides the same origin.
   *
   * @throws IllegalArgumentException if an entry is neither {@code *} nor a valid origin
   */
  public static OriginPolicy of(Collection<String> origins) {
    Set<String> canonical = new LinkedHashSet<>();
    boolean any = false;
    for (String origin : origins) {
      if (ANY.equals(origin.trim())) {
        any = true;
      } else {
        canonical.add(canonical(origin));
      }
    }
    return new OriginPolicy(Set.copyOf(canonical), any);
  }

  /**
   * Whether an upgrade request may proceed.
   *
   * @param origin the {@code Origin} header, or {@code null} when absent
   * @param ownScheme {@code http} or {@code https}: how the request reached this server
   * @param host the request's {@code Host} header (or HTTP/2 authority), or {@code null}
   */
  public boolean allows(String origin, String ownScheme, String host) {
    if (origin == null) {
      return true;
    }
    if (any) {
      return true;
    }
    String theirs;
    try {
      theirs = canonical(origin);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return allowed.contains(theirs) || theirs.equals(ownOrigin(ownScheme, host));
  }

  /**
   * Answers a refused upgrade: {@code 403} with the contract's JSON error body, before any
   * upgrade happens.
   */
  public static void refuse(String origin, Response response, Callback callback) {
    HttpReplies.error(response, callback, 403, "origin not allowed: " + origin
        + " (allowed: the server's own origin and PARLEY_ALLOWED_ORIGINS)");
  }

  private static String ownOrigin(String scheme, String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    try {
      return canonical(scheme + "://" + host.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The canonical form of an origin {@code scheme://host[:port]}: {@code http} or {@code https},
   * lower case, no default port, no path, query, fragment or user info.
   *
   * @throws IllegalArgumentException saying what is wrong, when {@code origin} is not one
   */
  public static String canonical(String origin) {
    String trimmed = origin.trim();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(expected(origin));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort = "http".equals(scheme) ? 80 : "https".equals(scheme) ? 443 : -1;
    if (defaultPort < 0 || uri.getHost() == null || uri.getRawUserInfo() != null
        || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(expected(origin));
    }
    int port = uri.getPort();
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + (port == -1 || port == defaultPort ? "" : ":" + port);
  }

  private static String expected(String origin) {
    return "expected an origin like https://app.example.com or http://localhost:3000"
        + " (http or https, a host, an optional port, no path), got \"" + origin + "\"";
  }

  @Override
  public String toString() {
    return any ? "any origin" : "same origin" + (allowed.isEmpty() ? "" : " and " + allowed);
  }
}
