package io.parley.server.proxy;

import io.parley.server.testing.WsWire;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * WebSocket upgrades to {@code /ws} on 127.0.0.1 as a proxy sends them, with a forwarding header,
 * from a chosen local address. An admitted one is held open as a bare socket (a few hundred bytes
 * of client state, so a test can hold thousands) until {@link #close}, which drops them all.
 */
final class ForwardedUpgrades implements AutoCloseable {
  private static final int TIMEOUT_MS = 10_000;

  private final int port;
  private final InetAddress from;
  private final List<Socket> held = new ArrayList<>();

  /** Upgrades from {@code from} (e.g. 127.0.0.2 to be another peer), or the default loopback when null. */
  ForwardedUpgrades(int port, InetAddress from) {
    this.port = port;
    this.from = from;
  }

  /**
   * Sends an upgrade with these extra header lines (each ending in CRLF) and returns the answer's
   * status line; a 101's socket is held, any other is closed.
   */
  String upgrade(String headers) throws IOException {
    Socket socket = new Socket();
    boolean keep = false;
    try {
      if (from != null) {
        socket.bind(new InetSocketAddress(from, 0));
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.getOutputStream().write(WsWire.upgradeRequest(port, headers));
      socket.getOutputStream().flush();
      String head = WsWire.readHead(socket.getInputStream());
      String status = head.substring(0, head.indexOf('\r'));
      keep = status.startsWith("HTTP/1.1 101");
      if (keep) {
        held.add(socket);
      }
      return status;
    } finally {
      if (!keep) {
        socket.close();
      }
    }
  }

  /** An upgrade that says it was forwarded for {@code client} in {@code X-Forwarded-For}. */
  String forwardedFor(String client) throws IOException {
    return upgrade("X-Forwarded-For: " + client + "\r\n");
  }

  int held() {
    return held.size();
  }

  @Override
  public void close() {
    for (Socket socket : held) {
      try {
        socket.setSoLinger(true, 0); // a reset: thousands of sockets need no TIME_WAIT
        socket.close();
      } catch (IOException e) {
        // already gone: nothing left to free
      }
    }
    held.clear();
  }
}
