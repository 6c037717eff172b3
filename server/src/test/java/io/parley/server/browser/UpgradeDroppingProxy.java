package io.parley.server.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that behaves like the corporate proxies the SSE fallback is
 * for: plain HTTP passes both ways, but a connection whose first request asks for a WebSocket
 * upgrade is dropped before the server sees it. Browsers open each WebSocket on a connection of its
 * own, so looking at a connection's first request is enough. One thread per direction and
 * connection; everything stops on {@link #close()}.
 */
final class UpgradeDroppingProxy implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket listener;
  private final int target;
  private final AtomicInteger dropped = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  UpgradeDroppingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "upgrade-dropping-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Upgrades dropped so far. */
  int dropped() {
    return dropped.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread t = new Thread(() -> serve(client), "upgrade-dropping-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Cuts every connection passing through now, as a network that drops a long-lived stream would. */
  void cutAll() {
    for (Socket socket : open) {
      try {
        socket.close();
      } catch (IOException e) {
        // closed already
      }
    }
  }

  private void serve(Socket client) {
    open.add(client);
    try (client) {
      byte[] head = readHead(client.getInputStream());
      if (head == null) {
        return;
      }
      if (new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\nupgrade: websocket")) {
        dropped.incrementAndGet();
        return; // the connection closes without an answer, as a proxy that does not pass upgrades would
      }
      try (Socket server = new Socket(InetAddress.getLoopbackAddress(), target)) {
        server.getOutputStream().write(head);
        Thread back = new Thread(() -> pipe(server, client), "upgrade-dropping-proxy-back");
        back.setDaemon(true);
        back.start();
        pipe(client, server);
        back.join(10_000);
      }
    } catch (IOException | InterruptedException e) {
      // a side went away: the connection is over
    } finally {
      open.remove(client);
    }
  }

  /** The bytes up to and including the first blank line, or {@code null} if the client left first. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == end.length) {
        return head.toByteArray();
      }
    }
    return head.toByteArray();
  }

  private static void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // both are going anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
