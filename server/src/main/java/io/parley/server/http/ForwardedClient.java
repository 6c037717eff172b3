package io.parley.server.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The one place the client address is decided: a request from a {@link TrustedProxies trusted
 * proxy} gets the address its forwarding headers name, every other request keeps its TCP peer's.
 * It is a Jetty customizer, so everything downstream that asks {@link Request#getRemoteAddr} (the
 * per-address session count and rate buckets, the session log lines, the access log, the
 * {@code /metrics} loopback check, the admin page) sees the resolved address without knowing
 * about proxies.
 *
 * <p>Why not Jetty's {@code ForwardedRequestCustomizer}: it believes the headers from any peer,
 * and it takes the <em>left-most</em> {@code X-Forwarded-For} entry, which the client writes
 * itself when the proxy appends to the header (nginx's {@code $proxy_add_x_forwarded_for}).
 *
 * <p>The rule: the hops are read right to left, the right-most being the one the nearest proxy
 * added; the client is the first hop that is not itself a trusted proxy. When every hop is a
 * trusted proxy the left-most is taken; a hop that is not an address ({@code unknown}, an
 * obfuscated {@code Forwarded} name) ends the walk at the last address found, or the peer.
 * {@code X-Forwarded-For} is read when present, otherwise {@code Forwarded} ({@code for=}
 * parameters): a proxy that sets one header must drop or overwrite the other, or a client could
 * name itself in it (the shipped nginx configuration clears {@code Forwarded}). Only the address
 * is taken, not the scheme or host. Thread-safe.
 */
public final class ForwardedClient implements HttpConfiguration.Customizer {
  private final TrustedProxies trusted;

  public ForwardedClient(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
    if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return request;
    }
    HttpFields headers = request.getHeaders();
    InetAddress client = resolve(trusted, inet.getAddress(), headers.getValuesList(HttpHeader.X_FORWARDED_FOR),
        headers.getValuesList(HttpHeader.FORWARDED));
    if (client.equals(inet.getAddress())) {
      return request;
    }
    return forwardedFrom(request, new InetSocketAddress(client, 0));
  }

  /**
   * The client address of a request from {@code peer} with these header lines (each header's
   * lines in order; empty when absent).
   */
  public static InetAddress resolve(TrustedProxies trusted, InetAddress peer, List<String> forwardedFor,
      List<String> forwarded) {
    if (!trusted.trusts(peer)) {
      return peer;
    }
    List<String> hops = forwardedFor.isEmpty() ? forwardedHops(forwarded) : elements(forwardedFor);
    InetAddress client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = hop(hops.get(i));
      if (hop == null) {
        break;
      }
      client = hop;
      if (!trusted.trusts(hop)) {
        break;
      }
    }
    return client;
  }

  /** The {@code for=} value of each {@code Forwarded} element, or "" for an element without one. */
  private static List<String> forwardedHops(List<String> lines) {
    List<String> hops = new ArrayList<>();
    for (String element : elements(lines)) {
      String hop = "";
      for (String pair : split(element, ';')) {
        int equals = pair.indexOf('=');
        if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
          hop = pair.substring(equals + 1).trim();
        }
      }
      hops.add(hop);
    }
    return hops;
  }

  /** The comma-separated entries of all the lines, in order. */
  private static List<String> elements(List<String> lines) {
    List<String> entries = new ArrayList<>();
    for (String line : lines) {
      entries.addAll(split(line, ','));
    }
    return entries;
  }

  /** {@code text} cut at each {@code separator} outside double quotes, each part trimmed. */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(text.substring(start, i).trim());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).trim());
    return parts;
  }

  /**
   * The address of one hop: {@code 192.0.2.7}, {@code 192.0.2.7:4711}, {@code 2001:db8::7},
   * {@code [2001:db8::7]:4711}, quoted or not; {@code null} for anything else.
   */
  private static InetAddress hop(String value) {
    String text = value.trim();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1).trim();
    }
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        return null;
      }
      String after = text.substring(close + 1);
      if (!after.isEmpty() && !after.matches(":\\d{1,5}")) {
        return null;
      }
      text = text.substring(1, close);
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      text = text.substring(0, text.indexOf(':')); // IPv4 with a port
    }
    return TrustedProxies.literal(text);
  }

  /** {@code request} seen as coming from {@code client}. */
  private static Request forwardedFrom(Request request, SocketAddress client) {
    ConnectionMetaData connection = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
      @Override
      public SocketAddress getRemoteSocketAddress() {
        return client;
      }
    };
    return new Request.Wrapper(request) {
      @Override
      public ConnectionMetaData getConnectionMetaData() {
        return connection;
      }
    };
  }
}
