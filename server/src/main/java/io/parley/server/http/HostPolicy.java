package io.parley.server.http;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.HostPort;

/**
 * Which {@code Host} headers this server answers, against DNS rebinding: a page on
 * {@code http://evil.example} whose name the attacker then points at a Parley server reaches it
 * with {@code Host: evil.example} and, since {@link OriginPolicy} derives "same origin" from the
 * {@code Host}, would pass as the server's own page. Allowed, whatever the port:
 *
 * <ol>
 *   <li>the loopback names {@code localhost}, {@code 127.0.0.1} and {@code [::1]};
 *   <li>any IP address literal: a rebinding page always sends the attacker's <em>name</em>, and a
 *       page whose origin is an IP address can only be served by the machine at that address, so
 *       a server reached by its address keeps working without configuration;
 *   <li>the hosts of {@code PARLEY_ALLOWED_ORIGINS} (not {@code *}, which is about pages, not names);
 *   <li>the names in {@code PARLEY_ALLOWED_HOSTS}; {@code *} there allows any {@code Host}.
 * </ol>
 *
 * <p>The machine's own host name is <em>not</em> added by itself: it would need a DNS lookup at
 * start and a guess at which of its names clients use; list the names in
 * {@code PARLEY_ALLOWED_HOSTS}. A request without a {@code Host} (HTTP/1.0) is allowed: browsers
 * always send one. Names compare case-insensitively, a trailing dot ignored. Immutable and
 * thread-safe.
 */
public final class HostPolicy {
  /** The list entry that allows every host. */
  public static final String ANY = "*";
  /** Loopback names: only a page on this machine can send them. */
  static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private final Set<String> names;
  private final boolean any;

  private HostPolicy(Set<String> names, boolean any) {
    this.names = names;
    this.any = any;
  }

  /**
   * The policy for these settings.
   *
   * @param hosts {@code PARLEY_ALLOWED_HOSTS}: host names (see {@link #canonical}) or {@code *}
   * @param origins {@code PARLEY_ALLOWED_ORIGINS} in canonical form, or {@code *}
   * @throws IllegalArgumentException if a host is neither {@code *} nor a host name
   */
  public static HostPolicy of(Collection<String> hosts, Collection<String> origins) {
    Set<String> names = new LinkedHashSet<>(LOOPBACK);
    boolean any = false;
    for (String host : hosts) {
      if (ANY.equals(host.trim())) {
        any = true;
      } else {
        names.add(canonical(host));
      }
    }
    for (String origin : origins) {
      if (!OriginPolicy.ANY.equals(origin.trim())) {
        names.add(canonical(URI.create(OriginPolicy.canonical(origin)).getHost()));
      }
    }
    return new HostPolicy(Set.copyOf(names), any);
  }

  /** Whether a request with this {@code Host} header ({@code null} when absent) is answered. */
  public boolean allows(String hostHeader) {
    if (any || hostHeader == null) {
      return true;
    }
    String host;
    try {
      host = strip(new HostPort(hostHeader.trim()).getHost().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return names.contains(host) || IPV4.matcher(host).matches() || host.startsWith("[");
  }

  /**
   * A host name as configured, in the form it is compared in: lower case, no trailing dot; an
   * IPv6 address in brackets.
   *
   * @throws IllegalArgumentException saying what was expected, when {@code host} is not a bare
   *     host name (a port, a scheme or a path included)
   */
  public static String canonical(String host) {
    String value = strip(host.trim().toLowerCase(Locale.ROOT));
    if (NAME.matcher(value).matches()) {
      return value;
    }
    try {
      HostPort parsed = new HostPort(value);
      if (!parsed.hasPort() && parsed.getHost().startsWith("[")) {
        return parsed.getHost();
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected a host name like chat.example.com or an IP address,"
        + " without scheme, port or path, got \"" + host + "\"");
  }

  private static String strip(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  @Override
  public String toString() {
    return any ? "any host" : "loopback, IP addresses and " + names;
  }
}
