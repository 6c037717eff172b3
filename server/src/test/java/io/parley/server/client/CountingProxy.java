package io.parley.server.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of the server that counts the bytes going each way (the
 * upgrade included) and keeps the head of each connection's upgrade request and answer, so a test
 * can see what a client offered and what it was given. Two daemon threads per connection.
 */
final class CountingProxy implements AutoCloseable {
  private static final int HEAD = 1024;

  private final int target;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong upstream = new AtomicLong();
  private final AtomicLong downstream = new AtomicLong();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> answers = new CopyOnWriteArrayList<>();

  CountingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "counting-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI wsUri() {
    return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
  }

  /** Bytes from clients to the server so far. */
  long upstream() {
    return upstream.get();
  }

  /** Bytes from the server to clients so far. */
  long downstream() {
    return downstream.get();
  }

  /** The start of each connection's first read from the client (its upgrade request), in order. */
  List<String> requests() {
    return requests;
  }

  /** The start of each connection's first read from the server (the upgrade's answer). */
  List<String> answers() {
    return answers;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
        sockets.add(client);
        sockets.add(server);
        pipe(client, server, upstream, requests);
        pipe(server, client, downstream, answers);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pipe(Socket from, Socket to, AtomicLong counter, List<String> heads) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      boolean first = true;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (first) {
            heads.add(new String(buffer, 0, Math.min(n, HEAD), StandardCharsets.ISO_8859_1));
            first = false;
          }
          counter.addAndGet(n);
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // one side went away; closing both ends the other pipe too
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "counting-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
