package io.parley.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers whose {@code X-Forwarded-For} / {@code Forwarded} headers are believed
 * ({@code PARLEY_TRUSTED_PROXIES}): IPv4 and IPv6 addresses and CIDR ranges. Entries are parsed
 * as address literals only, never looked up in DNS: a name would make the trust depend on a
 * resolver at start and on whoever controls its answers. An address without a prefix is a range
 * of one; host bits below the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 * An IPv4 peer never matches an IPv6 range, nor the other way round. Immutable and thread-safe.
 */
public final class TrustedProxies {
  /** No trusted proxy: every peer is its own client address. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

  /** One CIDR range: the network's bytes (host bits zero) and how many leading bits must match. */
  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / Byte.SIZE;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % Byte.SIZE;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (Byte.SIZE - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
      } catch (UnknownHostException e) {
        throw new IllegalStateException("a range holds 4 or 16 bytes", e);
      }
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * The proxies for these entries (each as {@link #canonical} accepts it).
   *
   * @throws IllegalArgumentException for an entry that is not an address or CIDR range
   */
  public static TrustedProxies of(Collection<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      ranges.add(range(entry));
    }
    return ranges.isEmpty() ? NONE : new TrustedProxies(List.copyOf(ranges));
  }

  /**
   * The entry in canonical form, {@code network/prefix} (e.g. {@code 172.16.0.0/12},
   * {@code fd00:0:0:0:0:0:0:0/8}).
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static String canonical(String entry) {
    return range(entry).toString();
  }

  /** True when no proxy is trusted. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code peer} is one of the trusted proxies. */
  public boolean trusts(InetAddress peer) {
    byte[] bytes = peer.getAddress();
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The IP address {@code text} spells (IPv4 dotted quad or IPv6, without brackets or zone), or
   * {@code null} for anything else; never a DNS lookup.
   */
  static InetAddress literal(String text) {
    if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
      return null;
    }
    try {
      // A literal (digits and dots, or containing a colon) is parsed, not resolved.
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Range range(String entry) {
    String text = entry.trim();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    InetAddress parsed = literal(address);
    if (parsed == null) {
      throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR range"
          + " (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8); host names are not accepted");
    }
    byte[] bytes = parsed.getAddress();
    int bits = bytes.length * Byte.SIZE;
    int prefix = bits;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      prefix = PREFIX.matcher(digits).matches() ? Integer.parseInt(digits) : -1;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("\"" + entry + "\": the prefix length must be 0 to " + bits
            + " for " + (bits == 32 ? "an IPv4" : "an IPv6") + " address");
      }
    }
    return new Range(masked(bytes, prefix), prefix);
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] network = bytes.clone();
    for (int bit = prefix; bit < network.length * Byte.SIZE; bit++) {
      network[bit / Byte.SIZE] &= (byte) ~(0x80 >> (bit % Byte.SIZE));
    }
    return network;
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
